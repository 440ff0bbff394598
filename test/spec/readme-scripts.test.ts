import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { packageRoot } from "../../src/package-root.js";
import { documentationFiles, readDocumentation, readme } from "../support/readme.js";

const { scripts } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
};
/** The scripts a page's `npm run` commands mean: an example project's own, or the kit's. */
function scriptsOfPage(file: string): Record<string, string> {
  const example = /^examples\/[^/]+\//.exec(file)?.[0];
  if (!example) return scripts;
  return (
    JSON.parse(readFileSync(join(packageRoot, example, "package.json"), "utf8")) as { scripts: Record<string, string> }
  ).scripts;
}
const everything = () => documentationFiles().map((file) => [file, readDocumentation(file)] as const);

describe("the documentation and package.json scripts", () => {
  test("every script has a row in the front page's scripts table (prepare runs itself)", () => {
    const rows = new Set([...readme().matchAll(/^\|\s*`npm (?:run )?([\w:-]+)`/gm)].map((m) => m[1]));
    expect(Object.keys(scripts).filter((name) => name !== "prepare" && !rows.has(name))).toEqual([]);
  });

  test("every `npm run X` any page mentions is a script (of its example project, on an example's page)", () => {
    const missing = everything().flatMap(([file, text]) => {
      const own = scriptsOfPage(file);
      return [...text.matchAll(/npm run (?:-s )?([\w-]+(?::[\w-]+)*)/g)]
        .map((m) => m[1] ?? "")
        .filter((name) => !(name in own))
        .map((name) => `${file}: ${name}`);
    });
    expect(missing).toEqual([]);
  });

  test("every sds-kit command any page mentions exists", async () => {
    let usage = "";
    await runCli(["--help"], { stdout: { write: (chunk: string) => (usage += chunk) }, stderr: { write: () => true } });
    const unknown = everything().flatMap(([file, text]) =>
      [...new Set([...text.matchAll(/sds-kit ([a-z][a-z-]*)/g)].map((m) => m[1] ?? ""))]
        .filter((command) => !new RegExp(`^  ${command} `, "m").test(usage))
        .map((command) => `${file}: ${command}`),
    );
    expect(unknown).toEqual([]);
  });

  test("every relative link in the documentation points at a file that exists", () => {
    const broken = everything().flatMap(([file, text]) =>
      [...text.matchAll(/\]\(((?!https?:|#)[^)#\s]+)(?:#[^)]*)?\)/g)]
        .map((m) => m[1] ?? "")
        .filter((target) => {
          try {
            readFileSync(join(packageRoot, file, "..", target));
            return false;
          } catch (error) {
            return (error as NodeJS.ErrnoException).code !== "EISDIR";
          }
        })
        .map((target) => `${file}: ${target}`),
    );
    expect(broken).toEqual([]);
  });
});
