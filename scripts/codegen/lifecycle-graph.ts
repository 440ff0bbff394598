import {
  absentRecord,
  type LifecycleRecord,
  lifecycleEvents,
  profileMachine,
  syncMachine,
  tryEvent,
} from "../../mocks/simulator/lifecycle.js";
import { defaultScenario } from "../../mocks/simulator/scenarios.js";
import { breadthFirst } from "../../src/lifecycle/breadth-first.js";
import { isProfileEvent } from "../../src/lifecycle/vocabulary.js";
import type { LifecycleGraph, LifecycleMachineGraph, LifecycleTransition } from "../../src/site/lifecycle-graph.js";

interface TableRow {
  to: string | ((record: LifecycleRecord) => string);
  noop?: true;
  source: string;
}
type Table = Record<string, Partial<Record<string, TableRow>>>;

const machines = [
  { name: "profile", title: "Profile state (state)", initial: "absent", table: profileMachine as Table },
  { name: "sync", title: "Sync status (profileStatus.status)", initial: "paused", table: syncMachine as Table },
] as const;

/**
 * Where each row whose target the table computes can lead: every record a new profile can reach
 * (a CSV profile and a self-starting one), explored through the table's own `fire`, every event
 * tried from each. Keyed `machine|from|event`.
 */
function reachableTargets(): Map<string, Set<string>> {
  const key = (r: LifecycleRecord) =>
    [r.state, r.sync.status, r.sync.started, r.sync.resumeTo, r.sync.outcome, r.selfStarting].join("|");
  const starts = [absentRecord(defaultScenario, false, undefined), absentRecord(defaultScenario, true, undefined)];
  const found = new Map<string, Set<string>>();
  for (const { from, event, to } of breadthFirst(starts, lifecycleEvents, tryEvent, key)) {
    const [machine, before, after] = isProfileEvent(event)
      ? ["profile", from.state, to.state]
      : ["sync", from.sync.status, to.sync.status];
    const row = `${machine}|${before}|${event}`;
    found.set(row, (found.get(row) ?? new Set()).add(after));
  }
  return found;
}

/** The lifecycle tables as generated/lifecycle.json states them: every state, every row and where it leads. */
export function lifecycleGraph(): LifecycleGraph {
  const reachable = reachableTargets();
  return {
    machines: machines.map(({ name, title, initial, table }): LifecycleMachineGraph => {
      const states = Object.keys(table);
      const transitions: LifecycleTransition[] = [];
      for (const [from, rows] of Object.entries(table)) {
        for (const [event, row] of Object.entries(rows)) {
          if (!row) continue;
          const source = row.source;
          if (row.noop) transitions.push({ from, event, to: from, source, noop: true });
          else if (typeof row.to === "string") transitions.push({ from, event, to: row.to, source });
          else {
            const targets = reachable.get(`${name}|${from}|${event}`);
            if (!targets || targets.size === 0)
              throw new Error(`lifecycle: no profile reaches ${name} ${from} --${event}-->, so its target is unknown`);
            for (const to of states.filter((state) => targets.has(state)))
              transitions.push({ from, event, to, source, dynamic: true });
          }
        }
      }
      return { name, title, initial, states, transitions };
    }),
  };
}

/** generated/lifecycle.json: JSON has no comments, so the first key carries the notice. */
export function renderLifecycleGraph(notice: string): string {
  return `${JSON.stringify({ "x-generated": notice, ...lifecycleGraph() }, null, 2)}\n`;
}
