import {
  absentRecord,
  fire,
  type LifecycleContext,
  type LifecycleEvent,
  type LifecycleRecord,
  profileMachine,
  syncMachine,
} from "../../mocks/simulator/lifecycle.js";
import { defaultScenario } from "../../mocks/simulator/scenarios.js";
import type { LifecycleGraph, LifecycleMachineGraph, LifecycleTransition } from "../../src/docs/lifecycle-graph.js";

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

const profileEvents: ReadonlySet<string> = new Set(Object.values(profileMachine).flatMap(Object.keys));
const allEvents = [
  ...new Set(machines.flatMap(({ table }) => Object.values(table).flatMap(Object.keys))),
] as LifecycleEvent[];

/**
 * Where each row whose target the table computes can lead: every record a new profile can reach
 * (a CSV profile and a self-starting one), explored through the table's own `fire`, every event
 * tried from each. Keyed `machine|from|event`.
 */
function reachableTargets(): Map<string, Set<string>> {
  const quiet: LifecycleContext = {
    at: 0,
    timing: { provisioningMs: 0, syncPhaseMs: 0, deletionMs: 0 },
    recordErrors: (count) => count,
    clearErrors: () => undefined,
  };
  const key = (r: LifecycleRecord) =>
    [r.state, r.sync.status, r.sync.started, r.sync.resumeTo, r.sync.outcome, r.selfStarting].join("|");
  const found = new Map<string, Set<string>>();
  let frontier = [absentRecord(defaultScenario, false, undefined), absentRecord(defaultScenario, true, undefined)];
  const seen = new Set(frontier.map(key));
  while (frontier.length > 0) {
    const next: LifecycleRecord[] = [];
    for (const record of frontier) {
      for (const event of allEvents) {
        const copy = structuredClone(record);
        if (!fire(copy, event, quiet).ok) continue;
        const [machine, from, to] = profileEvents.has(event)
          ? ["profile", record.state, copy.state]
          : ["sync", record.sync.status, copy.sync.status];
        const row = `${machine}|${from}|${event}`;
        found.set(row, (found.get(row) ?? new Set()).add(to));
        if (seen.has(key(copy))) continue;
        seen.add(key(copy));
        next.push(copy);
      }
    }
    frontier = next;
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
