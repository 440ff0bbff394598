import fc from "fast-check";
import type { UploadStore } from "../../mocks/simulator/blob-uploads.js";
import { generateRoster } from "../../src/csv/generate-roster.js";
import { type RosterBreakName, rosterBreaks } from "../../src/csv/roster-breaks.js";

/**
 * CSV uploads a careless or hostile SIS export could produce, for a CSV profile's `start`: a clean
 * set or one of the documented breaks, then up to two mutations (a file dropped, renamed or
 * added; its bytes replaced by random or non-UTF-8 bytes; its line endings, quoting or header
 * changed; a cell set to a nasty value; a huge field, many columns, many rows).
 */
export interface HostileCsv {
  base: string;
  mutations: string[];
  files: Map<string, Uint8Array>;
}

type Files = Map<string, Uint8Array>;
interface Mutation {
  name: string;
  apply(files: Files): Files;
}

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));
const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString("utf8");
const fileNames = [
  "school.csv",
  "section.csv",
  "student.csv",
  "studentenrollment.csv",
  "teacher.csv",
  "teacherroster.csv",
] as const;

/** Shown in a counterexample: the base, the mutations, and each file's name, size and first bytes. */
export function describeCsv(upload: HostileCsv): string {
  const files = [...upload.files]
    .map(
      ([name, bytes]) =>
        `${JSON.stringify(name)} (${bytes.length} bytes) ${JSON.stringify(Buffer.from(bytes.subarray(0, 80)).toString("latin1"))}`,
    )
    .join("; ");
  return `[${upload.base}] ${upload.mutations.join(", ") || "unchanged"}: ${files}`;
}

const nastyCell = fc.oneof(
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(
    "",
    " ",
    '"',
    '""',
    'a"b',
    "a,b",
    "a\r\nb",
    "a\nb",
    "\u0000",
    "\ufeff",
    '=HYPERLINK("http://x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "O'Brien",
    "Zoë",
    "李",
    "😀",
    "\u202e",
    "x".repeat(5000),
  ),
);

const quoteCell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

const mutations: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom(...fileNames).map((name) => ({
    name: `drop ${name}`,
    apply: (files: Files) => new Map([...files].filter(([n]) => n !== name)),
  })),
  fc
    .tuple(
      fc.constantFrom(...fileNames),
      fc.constantFrom(
        "School.csv",
        "SCHOOL.CSV",
        "notes.txt",
        "school.csv.bak",
        " school.csv",
        "schöol.csv",
        "dir/school.csv",
        "x.csv",
      ),
    )
    .map(([from, to]) => ({
      name: `rename ${from} to ${JSON.stringify(to)}`,
      apply: (files: Files) => new Map([...files].map(([n, b]) => [n === from ? to : n, b])),
    })),
  fc
    .tuple(fc.constantFrom("School.csv", "notes.txt", "extra.csv", "ReadMe.txt"), fc.constantFrom(...fileNames))
    .map(([name, copyOf]) => ({
      name: `add ${name} (a copy of ${copyOf})`,
      apply: (files: Files) => new Map([...files, [name, files.get(copyOf) ?? utf8("x")]]),
    })),
  fc.tuple(fc.constantFrom(...fileNames), fc.uint8Array({ maxLength: 600 })).map(([name, bytes]) => ({
    name: `${name} is ${bytes.length} random bytes`,
    apply: (files: Files) => new Map([...files, [name, bytes]]),
  })),
  fc
    .tuple(
      fc.constantFrom(...fileNames),
      fc.constantFrom(
        "utf16le with BOM",
        "latin1",
        "BOM",
        "CR only",
        "LF only",
        "NUL bytes",
        "no header",
        "empty",
        "header only",
        "lower-case header",
        "unbalanced quote",
        "trailing commas",
      ),
    )
    .map(([name, how]) => ({
      name: `${name}: ${how}`,
      apply: (files: Files) => {
        const content = text(files.get(name));
        const [header = "", ...rows] = content.split("\r\n");
        const changed: Uint8Array =
          how === "utf16le with BOM"
            ? new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(content, "utf16le")]))
            : how === "latin1"
              ? new Uint8Array(Buffer.from(`${content}Zo\u00eb,\u00e9\r\n`, "latin1"))
              : utf8(
                  how === "BOM"
                    ? `\ufeff\ufeff${content}`
                    : how === "CR only"
                      ? content.replaceAll("\r\n", "\r")
                      : how === "LF only"
                        ? content.replaceAll("\r\n", "\n")
                        : how === "NUL bytes"
                          ? content.replaceAll(",", "\u0000,")
                          : how === "no header"
                            ? rows.join("\r\n")
                            : how === "empty"
                              ? ""
                              : how === "header only"
                                ? `${header}\r\n`
                                : how === "lower-case header"
                                  ? [header.toLowerCase(), ...rows].join("\r\n")
                                  : how === "unbalanced quote"
                                    ? content.replace(",", ',"')
                                    : rows.map((row) => `${row},,,`).join("\r\n"),
                );
        return new Map([...files, [name, changed]]);
      },
    })),
  fc.tuple(fc.constantFrom(...fileNames), fc.nat(), fc.nat(), nastyCell).map(([name, row, column, value]) => ({
    name: `${name} row ${row} column ${column} = ${JSON.stringify(value.slice(0, 30))}`,
    apply: (files: Files) => {
      const lines = text(files.get(name)).split("\r\n");
      const at = 1 + (row % Math.max(1, lines.length - 2));
      const cells = (lines[at] ?? "").split(",");
      cells[column % Math.max(1, cells.length)] = quoteCell(value);
      lines[at] = cells.join(",");
      return new Map([...files, [name, utf8(lines.join("\r\n"))]]);
    },
  })),
  fc
    .tuple(
      fc.constantFrom(...fileNames),
      fc.constantFrom("huge field", "1000 columns", "3000 rows", "duplicate header"),
    )
    .map(([name, how]) => ({
      name: `${name}: ${how}`,
      apply: (files: Files) => {
        const [header = "", first = "", ...rest] = text(files.get(name)).split("\r\n");
        const lines =
          how === "huge field"
            ? [header, `${first},${"y".repeat(200_000)}`, ...rest]
            : how === "1000 columns"
              ? [`${header},${Array.from({ length: 1000 }, (_, i) => `Extra ${i}`).join(",")}`, first, ...rest]
              : how === "3000 rows"
                ? [header, ...Array.from({ length: 3000 }, () => first), ...rest]
                : [`${header},${header.split(",")[0] ?? ""}`, first, ...rest];
        return new Map([...files, [name, utf8(lines.join("\r\n"))]]);
      },
    })),
);

/** Generating a roster is the slow part of drawing an upload: each base is made once. */
const bases = new Map<string, ReadonlyMap<string, string | Uint8Array>>();
function baseFiles(key: string, make: () => ReadonlyMap<string, string | Uint8Array>) {
  if (!bases.has(key)) bases.set(key, make());
  return bases.get(key) ?? make();
}

/** A hostile upload: a clean set or a documented break, and up to two mutations. */
export function hostileCsvUploads(): fc.Arbitrary<HostileCsv> {
  const breakNames = Object.keys(rosterBreaks) as RosterBreakName[];
  const base = fc.oneof(
    {
      weight: 2,
      arbitrary: fc.integer({ min: 1, max: 20 }).map((seed) => ({
        base: `clean seed ${seed}`,
        files: baseFiles(`seed ${seed}`, () => generateRoster({ seed, schools: 1 })),
      })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...breakNames).map((name) => ({
        base: `break ${name}`,
        files: baseFiles(name, () => rosterBreaks[name].apply(generateRoster())),
      })),
    },
  );
  return fc.tuple(base, fc.array(mutations, { maxLength: 2 })).map(([{ base, files }, changes]) => {
    let bytes: Files = new Map(
      [...files].map(([name, content]) => [name, typeof content === "string" ? utf8(content) : content]),
    );
    for (const change of changes) bytes = change.apply(bytes);
    const upload: HostileCsv = { base, mutations: changes.map((c) => c.name), files: bytes };
    return Object.assign(upload, { [fc.toStringMethod]: () => describeCsv(upload) });
  });
}

/**
 * Files kept in memory, for `start` with real verification and no blob endpoint: the upload is
 * put in place directly (the Azurite path is fuzzed over HTTP, in test/fuzz/csv-uploads.e2e.test.ts).
 */
export function memoryUploads(): UploadStore & {
  put(profileId: string, files: ReadonlyMap<string, Uint8Array>): void;
} {
  // One tenant per simulator in these tests: a container is its profile's id.
  const containers = new Map<string, Map<string, Uint8Array>>();
  return {
    real: true,
    start: async () => undefined,
    uploadUrl: async ({ profileId }) => `https://memory.invalid/${profileId}?sp=w`,
    readFiles: async ({ profileId }) => new Map(containers.get(profileId) ?? []),
    async writeFiles({ profileId }, files) {
      const container = containers.get(profileId) ?? new Map<string, Uint8Array>();
      for (const [name, content] of files) container.set(name, typeof content === "string" ? utf8(content) : content);
      containers.set(profileId, container);
    },
    deleteContainer: async ({ profileId }) => void containers.delete(profileId),
    close: async () => undefined,
    put(profileId, files) {
      containers.set(profileId, new Map(files));
    },
  };
}
