import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../package-root.js";

/**
 * The simulator's lifecycle tables (mocks/simulator/lifecycle.ts) as data: every state, and every
 * row of each table as the edges it can take. `npm run generate` writes it to
 * generated/lifecycle.json, so the documentation site (which both servers serve) reads the tables
 * without importing the simulator.
 */
export interface LifecycleGraph {
  machines: LifecycleMachineGraph[];
}

export interface LifecycleMachineGraph {
  /** `profile` (the profile's `state`) or `sync` (its sync `status`). */
  name: string;
  /** A reader's name for the machine. */
  title: string;
  /** Where the machine starts: the layout's first layer. */
  initial: string;
  /** Every state of the table, in the table's order. */
  states: string[];
  /** One edge per row of the table and target, in the table's order. */
  transitions: LifecycleTransition[];
}

export interface LifecycleTransition {
  from: string;
  event: string;
  to: string;
  /** `x-sds-source` grammar: where the row comes from. */
  source: string;
  /** Accepted, and changes nothing. */
  noop?: true;
  /** The table computes the target when the event fires (resume goes back to the paused status). */
  dynamic?: true;
}

export const lifecycleGraphPath = join(packageRoot, "generated", "lifecycle.json");

/** generated/lifecycle.json, as `npm run generate` wrote it. */
export function readLifecycleGraph(path = lifecycleGraphPath): LifecycleGraph {
  const { machines } = JSON.parse(readFileSync(path, "utf8")) as LifecycleGraph;
  return { machines };
}
