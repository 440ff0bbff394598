import { describe, expect, test } from "vitest";
import { ODataQueryError, page, parseFilter, parseOrderBy } from "../../mocks/simulator/odata.js";

const rows = ["Charlie", "alpha", "Bravo", "O'Neil"].map((displayName, i) => ({
  displayName,
  state: i % 2 ? "provisioned" : "provisioning",
}));
const props = ["displayName", "state"];

describe("OData query options", () => {
  test.each([
    ["displayName eq 'Bravo'", ["Bravo"]],
    ["state ne 'provisioned'", ["Charlie", "Bravo"]],
    ["startswith(displayName,'O''N')", ["O'Neil"]],
    ["state eq 'provisioned' and startswith(displayName,'a')", ["alpha"]],
    ["startswith( displayName , 'B' )  and  state eq 'provisioning'", ["Bravo"]],
    // " and " inside a quoted value is part of the value, not a separator.
    ["displayName ne 'a and b' and displayName eq 'Charlie'", ["Charlie"]],
  ])("$filter=%s", (filter, want) => {
    expect(rows.filter(parseFilter(filter, props)).map((r) => r.displayName)).toEqual(want);
  });

  // Names are case-sensitive and operators lowercase, as the spec's pattern has them (decisions.md#odata-query).
  test.each([
    ["id eq 'x'"],
    ["displayName gt 'a'"],
    ["contains(displayName,'a')"],
    ["DisplayName eq 'Charlie'"],
    ["displayName EQ 'Charlie'"],
    ["displayName eq 'a' or state eq 'b'"],
  ])("$filter=%s is refused", (filter) => {
    expect(() => parseFilter(filter, props)).toThrow(ODataQueryError);
  });

  test("$orderby sorts, desc reverses", () => {
    expect([...rows].sort(parseOrderBy("displayName desc", props)).map((r) => r.displayName)).toEqual([
      "O'Neil",
      "Charlie",
      "Bravo",
      "alpha",
    ]);
    expect(() => parseOrderBy("displayName sideways", props)).toThrow(ODataQueryError);
  });

  test("pages with a next link that keeps the other options", () => {
    const first = page(rows, new URL("http://x/p?$top=3&$count=true&$filter=state%20ne%20'x'"), {
      filter: props,
      orderBy: props,
    });
    expect(first.value).toHaveLength(3);
    expect(first.count).toBe(4);
    const next = new URL(first.nextLink ?? "");
    expect(next.searchParams.get("$filter")).toBe("state ne 'x'");
    const second = page(rows, next, { filter: props, orderBy: props });
    expect([second.value.length, second.nextLink]).toEqual([1, undefined]);
    expect(page(rows, new URL("http://x/p?$skip=2"), { filter: props, orderBy: props }).value).toHaveLength(2);
    expect(next.searchParams.get("$skiptoken")).toBe("3");
    expect(() => page(rows, new URL("http://x/p?$skiptoken=bm9wZQ"), { filter: props, orderBy: props })).toThrow(
      /skiptoken/,
    );
  });
});
