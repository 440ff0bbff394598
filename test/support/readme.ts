import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { packageRoot } from "../../src/package-root.js";

export const readme = () => readFileSync(join(packageRoot, "README.md"), "utf8");

/** Every README and docs page of the kit, relative to its root: the front page first. */
export function documentationFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (["node_modules", "dist", ".git", "generated"].includes(name) || name.startsWith(".")) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name === "README.md" || (relative(packageRoot, dir).startsWith("docs") && name.endsWith(".md")))
        found.push(relative(packageRoot, path));
    }
  };
  walk(packageRoot);
  return found.sort((a, b) => (a === "README.md" ? -1 : b === "README.md" ? 1 : a.localeCompare(b)));
}

export const readDocumentation = (file: string) => readFileSync(join(packageRoot, file), "utf8");

/** The fenced blocks of one language in a Markdown file, in order. */
export function codeBlocks(file: string, language: string): string[] {
  const text = readDocumentation(file);
  return [...text.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, "g"))].map((m) => m[1] ?? "");
}

export interface ScenarioRow {
  operationId: string;
  status: string;
  example: string | undefined;
  isDefault: boolean;
  /** What the example is (`verbatim`, `rebuilt`, `illustrative`), where the table has the column. */
  label: string | undefined;
}

/** The rows of a scenario table: `| operationId | scenario | status | header | example label |`. */
export function scenarioRows(text: string): ScenarioRow[] {
  const rows: ScenarioRow[] = [];
  for (const line of text.split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    const [, operationId, , status, header, label] = cells;
    // Only the scenario table's rows: an operation, and a header cell that selects a scenario.
    if (!operationId || !/^[a-z]+SynchronizationProfiles?|^listSynchronizationErrors$/.test(operationId)) continue;
    if (!header || !/Prefer:|\(default\)/.test(header)) continue;
    const example = /example=([\w-]+)/.exec(header)?.[1];
    const code = /code=(\d{3})/.exec(header)?.[1];
    if (code !== undefined && code !== status)
      throw new Error(`scenario row for ${operationId}: header code ${code} but status ${status}`);
    rows.push({
      operationId,
      status: status ?? "",
      example,
      isDefault: header.includes("(default)"),
      label: label || undefined,
    });
  }
  return rows;
}
