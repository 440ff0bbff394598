import fc from "fast-check";
import { afterAll, beforeAll, describe, test } from "vitest";
import { createClock } from "../../mocks/simulator/clock.js";
import type { Simulator } from "../../mocks/simulator/create-simulator.js";
import { CategoryCounts, describeSeed, fuzzParameters } from "../support/fuzz-config.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { inProcessSimulator, type SimCall } from "../support/simulator-harness.js";
import { commands, ops, timing } from "./lifecycle-commands.js";
import { LifecycleModel } from "./lifecycle-model.js";

// The same model-checked lifecycle (lifecycle-commands.ts), against two replicas on one real
// PostgreSQL database: each request goes to the other replica than the last, so every step is
// written by one and read by the other. They share one virtual clock (both run in this process),
// which is what lets the model move time to the millisecond.
const sequences = 300;

let postgres: TestPostgres;
const replicas: Simulator[] = [];
let call: SimCall;
let clock: ReturnType<typeof createClock>;

beforeAll(async () => {
  postgres = await startTestPostgres();
  const database = await postgres.createDatabase();
  clock = createClock("virtual");
  const [a, b] = [0, 1].map(() =>
    inProcessSimulator({ timing, uploadUrlProcessingMs: timing.uploadUrlProcessingMs, clock, store: database }),
  ) as [ReturnType<typeof inProcessSimulator>, ReturnType<typeof inProcessSimulator>];
  replicas.push(a.sim, b.sim);
  let next = 0;
  // Alternating: the first request of a step to one replica, the next to the other.
  call = ((...args: Parameters<SimCall>) => (next++ % 2 === 0 ? a.call : b.call)(...args)) as SimCall;
}, 120_000);

afterAll(async () => {
  for (const replica of replicas) await replica.close();
  await postgres?.remove();
});

describe("model-checked lifecycle, two replicas on one PostgreSQL", () => {
  test(`${sequences} random sequences, requests alternating between replicas: the same answers as the model`, async ({
    annotate,
  }) => {
    const sizes = new CategoryCounts();
    try {
      await fc.assert(
        fc.asyncProperty(fc.commands(commands, { maxCommands: 30, size: "large" }), async (sequence) => {
          sizes.add("sequences");
          // Each sequence starts from an empty sandbox, as the in-process test starts from a fresh simulator.
          await replicas[0]?.store.session((session) => session.reset());
          const setup = () => ({
            model: new LifecycleModel(timing),
            real: { call, advance: (ms: number) => void clock.advance(ms) },
          });
          await fc.asyncModelRun(setup, sequence);
        }),
        fuzzParameters(sequences),
      );
    } finally {
      await annotate(`${describeSeed()}; ${sizes.get("sequences")} sequences, operations: ${ops}`);
    }
  }, 300_000);
});
