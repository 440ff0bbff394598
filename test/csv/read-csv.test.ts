import { isUtf8 } from "node:buffer";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { decodeUtf8, firstInvalidUtf8Byte, parseCsv, splitPlain } from "../../src/csv/read-csv.js";

describe("decodeUtf8", () => {
  test.each([
    ["a BOM in bytes is dropped", Uint8Array.from([0xef, 0xbb, 0xbf, 0x61, 0x2c, 0x62]), { text: "a,b" }],
    ["a BOM in text is dropped", "\uFEFFa,b", { text: "a,b" }],
    ["only the first BOM is", "\uFEFF\uFEFFa", { text: "\uFEFFa" }],
    ["Latin-1 é on line 3", Uint8Array.from([0x61, 0x0a, 0x62, 0x0d, 0x0a, 0x63, 0xe9]), { invalidUtf8AtLine: 3 }],
    ["a surrogate encoded in UTF-8 (CESU)", Uint8Array.from([0xed, 0xa0, 0x80]), { invalidUtf8AtLine: 1 }],
    ["an overlong encoding of /", Uint8Array.from([0xc0, 0xaf]), { invalidUtf8AtLine: 1 }],
    ["a sequence cut short at the end", Uint8Array.from([0x0a, 0xe2, 0x82]), { invalidUtf8AtLine: 2 }],
  ])("%s", (_, given, want) => {
    expect(decodeUtf8(given)).toEqual(want);
  });

  test("firstInvalidUtf8Byte agrees with Node's isUtf8 on any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => (firstInvalidUtf8Byte(bytes) === -1) === isUtf8(bytes)),
      { numRuns: 5000 },
    );
  });
});

describe("parseCsv", () => {
  // Texts without quotes or bare CRs: the plain split must give exactly what csv-parse gives.
  const plainText = fc
    .array(fc.constantFrom("a", "b", "é", " ", ",", "\n", "\r\n", "13001", ""), { maxLength: 40 })
    .map((parts) => parts.join(""));

  test("the plain split reads quote-free text exactly as csv-parse does, lines of white space only aside", () => {
    const whiteSpaceOnly = (row: string[]) => row.length === 1 && row[0] !== "" && row[0]?.trim() === "";
    fc.assert(
      fc.property(plainText, (text) => {
        const options = { relax_column_count: true, skip_empty_lines: true, record_delimiter: ["\r\n", "\n"] };
        const csvParse = (parse(text, options) as string[][]).filter((row) => !whiteSpaceOnly(row));
        expect(splitPlain(text)).toEqual(csvParse);
      }),
      { numRuns: 3000 },
    );
  });

  test.each([
    ["a TAB alone, the last line of a Microsoft lab's set", "a,b\r\n1,2\r\n\r\n\t\r\n"],
    ["spaces alone, before a quoted value", 'a,b\n  \n"1",2\n'],
  ])("a line of white space only is skipped: %s", (_, text) => {
    expect(parseCsv(text)).toMatchObject({
      rows: [
        ["a", "b"],
        ["1", "2"],
      ],
    });
  });

  test.each([
    [
      "plain text: no value can hold a line break",
      "a,b\r\n1,2\r\n",
      {
        rows: [
          ["a", "b"],
          ["1", "2"],
        ],
        lineBreaksPossible: false,
      },
    ],
    [
      "empty lines are skipped",
      "a,b\n\n1,2\n\r\n",
      {
        rows: [
          ["a", "b"],
          ["1", "2"],
        ],
        lineBreaksPossible: false,
      },
    ],
    [
      "quotes go through csv-parse",
      'a,b\r\n1,"x,""y"""\r\n',
      {
        rows: [
          ["a", "b"],
          ["1", 'x,"y"'],
        ],
        lineBreaksPossible: true,
      },
    ],
    [
      "a quoted line break is kept for the verifier to find",
      'a,b\n1,"x\ny"\n',
      {
        rows: [
          ["a", "b"],
          ["1", "x\ny"],
        ],
        lineBreaksPossible: true,
      },
    ],
    ["an empty file has no rows", "", { rows: [], lineBreaksPossible: false }],
    [
      "a stray quote is a syntax error",
      'a,b\n1,x"y\n',
      { syntaxError: "line 2 has a quote inside a value that is not quoted" },
    ],
  ])("%s", (_, text, want) => {
    expect(parseCsv(text)).toEqual(want);
  });
});
