import { describe, expect, test } from "vitest";
import { formatPrefer, parsePrefer } from "../../src/http/prefer-header.js";

describe("the Prefer header", () => {
  test("reads tokens and name=value pairs, names in lower case", () => {
    expect([...parsePrefer("Code=429, example=throttled, include-unknown-enum-members")]).toEqual([
      ["code", "429"],
      ["example", "throttled"],
      ["include-unknown-enum-members", true],
    ]);
  });

  describe("a quoted value", () => {
    test("keeps the commas and semicolons inside it", () => {
      expect([...parsePrefer('example="a,b", code=400')]).toEqual([
        ["example", "a,b"],
        ["code", "400"],
      ]);
      expect(parsePrefer('example="x;y"; param=1').get("example")).toBe("x;y");
    });

    test("undoes its backslash escapes", () => {
      expect(parsePrefer('example="say \\"hi\\", then \\\\ go"').get("example")).toBe('say "hi", then \\ go');
    });
  });

  test("ignores empty members and a preference's parameters", () => {
    expect([...parsePrefer(" , respond-async; wait=5 ,, code=202")]).toEqual([
      ["respond-async", true],
      ["code", "202"],
    ]);
  });

  test("writes back what it read, quoting only values that are not tokens", () => {
    const header = 'code=429, example="a,b", note="say \\"hi\\"", include-unknown-enum-members';
    expect(formatPrefer(parsePrefer(header))).toBe(header);
    expect(formatPrefer(new Map([["code", "429"]]))).toBe("code=429");
  });
});
