import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../src/package-root.js";

export const readme = () => readFileSync(join(packageRoot, "README.md"), "utf8");

export interface ScenarioRow {
  operationId: string;
  status: string;
  example: string | undefined;
  isDefault: boolean;
}

/** The rows of the README's scenario table: `| operationId | scenario | status | header |`. */
export function scenarioRows(): ScenarioRow[] {
  const rows: ScenarioRow[] = [];
  for (const line of readme().split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    const [, operationId, , status, header] = cells;
    // Only the scenario table's rows: an operation, and a header cell that selects a scenario.
    if (!operationId || !/^[a-z]+SynchronizationProfiles?|^listSynchronizationErrors$/.test(operationId)) continue;
    if (!header || !/Prefer:|\(default\)/.test(header)) continue;
    const example = /example=([\w-]+)/.exec(header)?.[1];
    const code = /code=(\d{3})/.exec(header)?.[1];
    if (code !== undefined && code !== status)
      throw new Error(`README row for ${operationId}: header code ${code} but status ${status}`);
    rows.push({ operationId, status: status ?? "", example, isDefault: header.includes("(default)") });
  }
  return rows;
}
