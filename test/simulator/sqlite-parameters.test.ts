import { describe, expect, test } from "vitest";
import { toSqliteParameters } from "../../mocks/simulator/stores/sqlite-database.js";

describe("PostgreSQL's $n parameters, bound for SQLite", () => {
  test("follow the order the statement names them, a repeated one passed again", () => {
    expect(
      toSqliteParameters("DELETE FROM t WHERE a = $2 AND NOT EXISTS (SELECT 1 FROM u WHERE b = $1 AND c = $2)", [
        "one",
        "two",
      ]),
    ).toEqual([
      "DELETE FROM t WHERE a = ? AND NOT EXISTS (SELECT 1 FROM u WHERE b = ? AND c = ?)",
      ["two", "one", "two"],
    ]);
  });

  test("an absent value is NULL, a boolean is 0 or 1, and $10 is not $1 followed by 0", () => {
    const params = [true, false, undefined, null, 5, 6, 7, 8, 9, "tenth"];
    expect(toSqliteParameters("VALUES ($1, $2, $3, $4, $10)", params)).toEqual([
      "VALUES (?, ?, ?, ?, ?)",
      [1, 0, null, null, "tenth"],
    ]);
  });
});
