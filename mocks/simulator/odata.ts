/**
 * The OData query options the list operations take: `$filter` (eq, ne, startswith, joined with
 * `and`), `$orderby` (one property, asc or desc), `$top`, `$skip`, `$skiptoken` and `$count`, and
 * `@odata.nextLink` on every page but the last.
 */

export class ODataQueryError extends Error {
  override name = "ODataQueryError";
}

export const defaultPageSize = 100;

type Row = Record<string, unknown>;
type Predicate = (row: Row) => boolean;

const comparison = /^(\w+)\s+(eq|ne)\s+'((?:[^']|'')*)'$/i;
const startsWith = /^startswith\(\s*(\w+)\s*,\s*'((?:[^']|'')*)'\s*\)$/i;

export function parseFilter(expression: string, properties: readonly string[]): Predicate {
  const clauses = expression.split(/\s+and\s+/i).map((clause) => clause.trim());
  const predicates = clauses.map((clause): Predicate => {
    const known = (name: string) => {
      const match = properties.find((p) => p.toLowerCase() === name.toLowerCase());
      if (!match)
        throw new ODataQueryError(`$filter on '${name}' is not supported; filter on ${properties.join(", ")}`);
      return match;
    };
    const eq = comparison.exec(clause);
    if (eq) {
      const [, name = "", op = "", raw = ""] = eq;
      const property = known(name);
      const value = raw.replace(/''/g, "'");
      return op.toLowerCase() === "eq"
        ? (row) => String(row[property]) === value
        : (row) => String(row[property]) !== value;
    }
    const sw = startsWith.exec(clause);
    if (sw) {
      const [, name = "", raw = ""] = sw;
      const property = known(name);
      const prefix = raw.replace(/''/g, "'");
      return (row) => String(row[property] ?? "").startsWith(prefix);
    }
    throw new ODataQueryError(
      `unsupported $filter clause '${clause}'; use <property> eq '<value>', <property> ne '<value>' or startswith(<property>,'<prefix>'), joined with and`,
    );
  });
  return (row) => predicates.every((predicate) => predicate(row));
}

export function parseOrderBy(expression: string, properties: readonly string[]): (a: Row, b: Row) => number {
  const match = /^(\w+)(?:\s+(asc|desc))?$/i.exec(expression.trim());
  const property = match && properties.find((p) => p.toLowerCase() === match[1]?.toLowerCase());
  if (!match || !property)
    throw new ODataQueryError(`$orderby takes one of ${properties.join(", ")}, optionally followed by asc or desc`);
  const sign = match[2]?.toLowerCase() === "desc" ? -1 : 1;
  return (a, b) => sign * String(a[property] ?? "").localeCompare(String(b[property] ?? ""));
}

export interface Page<T> {
  value: T[];
  count: number | undefined;
  nextLink: string | undefined;
}

/**
 * Filters, orders and pages `rows`. `url` is the request's own URL: the next link keeps its
 * other options and replaces `$skip`/`$skiptoken` with a token for the next offset.
 */
export function page<T extends Row>(
  rows: T[],
  url: URL,
  properties: { filter: readonly string[]; orderBy: readonly string[] },
): Page<T> {
  const query = url.searchParams;
  let selected = rows;
  const filter = query.get("$filter");
  if (filter !== null) selected = selected.filter(parseFilter(filter, properties.filter));
  const orderBy = query.get("$orderby");
  if (orderBy !== null) selected = [...selected].sort(parseOrderBy(orderBy, properties.orderBy));

  const top = query.has("$top") ? Number(query.get("$top")) : defaultPageSize;
  const token = query.get("$skiptoken");
  const skip = token !== null ? decodeSkipToken(token) : Number(query.get("$skip") ?? 0);
  const value = selected.slice(skip, skip + top);

  let nextLink: string | undefined;
  if (skip + top < selected.length) {
    const next = new URL(url);
    next.searchParams.delete("$skip");
    next.searchParams.set("$skiptoken", Buffer.from(String(skip + top)).toString("base64url"));
    if (!next.searchParams.has("$top")) next.searchParams.set("$top", String(top));
    nextLink = next.href;
  }
  const count = query.get("$count") === "true" ? selected.length : undefined;
  return { value, count, nextLink };
}

function decodeSkipToken(token: string): number {
  const offset = Number(Buffer.from(token, "base64url").toString("utf8"));
  if (!Number.isInteger(offset) || offset < 0)
    throw new ODataQueryError("$skiptoken is not one this service issued; follow @odata.nextLink as it is");
  return offset;
}
