import fc from "fast-check";
import { describe, test } from "vitest";
import { CategoryCounts, describeSeed, fuzzParameters } from "../support/fuzz-config.js";
import { inProcessSimulator } from "../support/simulator-harness.js";
import { commands, ops, timing } from "./lifecycle-commands.js";
import { LifecycleModel } from "./lifecycle-model.js";

// Model-based testing of the lifecycle against a fresh in-process simulator for each sequence
// (lifecycle-commands.ts says what is compared).
const sequences = 300;

describe("model-checked lifecycle", () => {
  test(`${sequences} random sequences of operations: the simulator answers as the documented lifecycle says`, async ({
    annotate,
  }) => {
    const sizes = new CategoryCounts();
    try {
      await fc.assert(
        fc.asyncProperty(fc.commands(commands, { maxCommands: 30, size: "large" }), async (sequence) => {
          sizes.add("sequences");
          const { sim, call } = inProcessSimulator({
            timing,
            uploadUrlProcessingMs: timing.uploadUrlProcessingMs,
          });
          const setup = () => ({
            model: new LifecycleModel(timing),
            real: { call, advance: (ms: number) => void sim.clock.advance(ms) },
          });
          await fc.asyncModelRun(setup, sequence);
        }),
        fuzzParameters(sequences),
      );
    } finally {
      await annotate(`${describeSeed()}; ${sizes.get("sequences")} sequences, operations: ${ops}`);
    }
  }, 180_000);
});
