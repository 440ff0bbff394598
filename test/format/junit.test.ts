import { describe, expect, test } from "vitest";
import { renderJunit, xmlEscape } from "../../src/format/junit.js";

/** XML 1.0's `Char` production: anything else makes a document no parser accepts. */
const outsideXmlChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

describe("JUnit XML", () => {
  const hostile = 'start\u0001\u0008\u000B\u001F\uFFFE end \uD800 <&>" \u{1F600}';
  const xml = renderJunit(hostile, [
    {
      name: `suite ${hostile}`,
      cases: [
        {
          name: `an interaction named ${hostile}`,
          classname: "pact",
          failures: [{ type: "invalidRequest", message: `line one\nline two\t${hostile}` }],
          output: `output ${hostile}`,
        },
        { name: "skipped", classname: "pact", skipped: hostile },
      ],
    },
  ]);

  test("holds only characters XML can hold, whatever the names and messages carry", () => {
    expect(outsideXmlChar.test(xml), xml).toBe(false);
  });

  test("writes what it cannot hold as readable escapes, and keeps the rest", () => {
    expect(xmlEscape("a\u0001b\uFFFEc")).toBe("a\\u0001b\\uFFFEc");
    expect(xmlEscape('<&>"')).toBe("&lt;&amp;&gt;&quot;");
    // A surrogate pair is one character, not two lone halves.
    expect(xmlEscape("\u{1F600}")).toBe("\u{1F600}");
    expect(xmlEscape("\uD800x")).toBe("\\uD800x");
  });

  test("keeps an attribute's line breaks and tabs as references", () => {
    expect(xml).toContain('message="line one&#10;line two&#9;start');
  });
});
