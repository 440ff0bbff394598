import { type ConformanceLevel, conformanceLevels } from "../spec/provenance.js";

/** A mistake in how the command was called: reported as one line, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Runs node:util parseArgs (or anything that parses arguments), turning its errors into one-line usage errors. */
export function withUsageErrors<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    throw new UsageError(message.replace(/\. To specify a positional argument.*$/, "") || "invalid arguments");
  }
}

/** `-h`/`--help`, which every command takes. */
export const helpOption = { help: { type: "boolean", short: "h" } } as const;

/** `--level`: how strictly to judge against the spec (decisions.md#conformance-levels). */
export function parseLevel(value: string | undefined): ConformanceLevel {
  if (value === undefined) return "kit";
  if (!(conformanceLevels as readonly string[]).includes(value))
    throw new UsageError(
      `--level must be ${conformanceLevels.slice(0, -1).join(", ")} or ${conformanceLevels.at(-1)}, got '${value}'`,
    );
  return value as ConformanceLevel;
}
