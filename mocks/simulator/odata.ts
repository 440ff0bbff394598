/**
 * The OData query options the list operations take: `$filter` (eq, ne, startswith, joined with
 * `and`), `$orderby` (one property, asc or desc), `$top`, `$skip`, `$skiptoken` and `$count`, and
 * `@odata.nextLink` on every page but the last. The spec states each grammar as a pattern
 * (decisions.md#odata-query), and requests are checked against it first; what reaches this module
 * follows it, and anything that does not is an ODataQueryError all the same.
 */

export class ODataQueryError extends Error {
  override name = "ODataQueryError";
}

/** The kit's page when the client sets no `$top` (decisions.md#paging). */
export const defaultPageSize = 100;

type Row = Record<string, unknown>;
type Predicate = (row: Row) => boolean;

const quoted = "'((?:[^']|'')*)'";
const unquote = (raw: string) => raw.replace(/''/g, "'");

/** Parses a `$filter` over the given properties (exact names, lowercase operators, as the spec's pattern says). */
export function parseFilter(expression: string, properties: readonly string[]): Predicate {
  const names = properties.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
  const clause = new RegExp(`(?:(${names}) +(eq|ne) +${quoted}|startswith\\( *(${names}) *, *${quoted} *\\))`, "y");
  const separator = / +and +/y;
  const predicates: Predicate[] = [];
  const text = expression.trim();
  let at = 0;
  for (;;) {
    clause.lastIndex = at;
    const match = clause.exec(text);
    if (!match) {
      throw new ODataQueryError(
        `unsupported $filter at '${text.slice(at)}'; use <property> eq '<value>', <property> ne '<value>' or startswith(<property>,'<prefix>'), joined with and, on ${properties.join(", ")}`,
      );
    }
    const [, property, operator, value, prefixProperty, prefix] = match;
    if (property !== undefined) {
      const wanted = unquote(value ?? "");
      predicates.push(
        operator === "eq" ? (row) => String(row[property]) === wanted : (row) => String(row[property]) !== wanted,
      );
    } else {
      const wanted = unquote(prefix ?? "");
      const name = prefixProperty ?? "";
      predicates.push((row) => String(row[name] ?? "").startsWith(wanted));
    }
    at = clause.lastIndex;
    if (at === text.length) break;
    separator.lastIndex = at;
    if (!separator.exec(text))
      throw new ODataQueryError(`unsupported $filter after '${text.slice(0, at)}': join clauses with and`);
    at = separator.lastIndex;
  }
  return (row) => predicates.every((predicate) => predicate(row));
}

export function parseOrderBy(expression: string, properties: readonly string[]): (a: Row, b: Row) => number {
  const match = /^(\w+)(?: +(asc|desc))?$/.exec(expression.trim());
  const property = match && properties.find((p) => p === match[1]);
  if (!match || !property)
    throw new ODataQueryError(`$orderby takes one of ${properties.join(", ")}, optionally followed by asc or desc`);
  const sign = match[2] === "desc" ? -1 : 1;
  return (a, b) => sign * String(a[property] ?? "").localeCompare(String(b[property] ?? ""));
}

export interface Page<T> {
  value: T[];
  count: number | undefined;
  nextLink: string | undefined;
}

/**
 * Filters, orders and pages `rows`. `url` is the request's own URL: the next link keeps its
 * other options and replaces `$skip`/`$skiptoken` with a token for the next offset (the offset
 * in decimal: decisions.md#paging).
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
    next.searchParams.set("$skiptoken", String(skip + top));
    if (!next.searchParams.has("$top")) next.searchParams.set("$top", String(top));
    nextLink = next.href;
  }
  const count = query.get("$count") === "true" ? selected.length : undefined;
  return { value, count, nextLink };
}

function decodeSkipToken(token: string): number {
  if (!/^[0-9]{1,9}$/.test(token))
    throw new ODataQueryError("$skiptoken is not one this service issued; follow @odata.nextLink as it is");
  return Number(token);
}
