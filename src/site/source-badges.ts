import { parseSource, type SourceKind } from "../spec/provenance.js";

/**
 * Provenance badges: an `x-sds-source` (decisions.md#provenance) as a small link, to the decision
 * it names (decisions.html#<entry>) or to the description of its kind (provenance.html#<kind>).
 */

/** What each kind of source is, for the provenance page's anchors the badges link to. */
export const sourceKinds: readonly { kind: SourceKind; title: string; description: string }[] = [
  {
    kind: "documented",
    title: "documented",
    description:
      "Microsoft's School Data Sync pages: the API's own reference, in its several generations (the section of the reference and its source tags follow the word).",
  },
  {
    kind: "csdl",
    title: "csdl",
    description: "Microsoft's metadata (CSDL) for the beta endpoint, and the types and SDKs generated from it.",
  },
  {
    kind: "graph-convention",
    title: "graph-convention",
    description:
      "Graph-wide documentation rather than the SDS pages: the error envelope, request ids, throttling, evolvable enums, OData annotations.",
  },
  {
    kind: "observed",
    title: "observed",
    description:
      "What the live service was seen to do: a captured response, production code that relied on a behaviour, Microsoft's own test collections. Where it differs from a page, the observation wins. Each links to the decision that holds its evidence; the observed and kit conformance levels hold these, the documented level does not.",
  },
  {
    kind: "kit",
    title: "kit",
    description:
      "A decision of the kit's, where Microsoft's pages disagree or are silent: an entry of the decisions, listed below by entry. Only the kit conformance level holds these.",
  },
];

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
/** Text that Markdown must show as written: inline HTML's content is still read as Markdown. */
const escapeMarkdown = (text: string) => escapeHtml(text).replace(/[\\`*_[\]]/g, "\\$&");

/** Where a source's badge links: its decision, or its kind. */
export function sourceHref(source: string): string {
  const parsed = parseSource(source);
  if (parsed?.decision) return `decisions.html#${parsed.decision}`;
  return `provenance.html#${parsed?.kind ?? "source-kinds"}`;
}

/** The class of a source's badge: its kind, or `other` when it does not follow the grammar. */
export function sourceKindOf(source: string): SourceKind | "other" {
  return parseSource(source)?.kind ?? "other";
}

/** A badge's text: `kit: <entry>` or `observed: <entry>` for a ledger entry, the source as written otherwise. */
function badgeText(source: string): string {
  const parsed = parseSource(source);
  return parsed?.decision ? `${parsed.kind}: ${parsed.decision}` : source;
}

/** One badge, as inline HTML for a Markdown description. */
export function sourceBadge(source: string, keyword?: string): string {
  const text = keyword === undefined ? badgeText(source) : `${keyword}: ${badgeText(source)}`;
  return `<a class="sds-source sds-source-${sourceKindOf(source)}" href="${escapeHtml(sourceHref(source))}" title="source: ${escapeHtml(source)}">${escapeMarkdown(text)}</a>`;
}

/** The badges of an `x-sds-source` annotation: one source, or a map from keyword to source with a `default`. */
export function sourceBadges(annotation: unknown): string[] {
  if (typeof annotation === "string") return [sourceBadge(annotation)];
  if (annotation === null || typeof annotation !== "object") return [];
  return Object.entries(annotation as Record<string, unknown>)
    .filter((entry): entry is [string, string] => typeof entry[1] === "string")
    .map(([keyword, source]) => sourceBadge(source, keyword === "default" ? undefined : keyword));
}

/** A source as a badge in plain HTML (the lifecycle page's table), not read as Markdown. */
export function sourceBadgeHtml(source: string): string {
  return `<a class="sds-source sds-source-${sourceKindOf(source)}" href="${escapeHtml(sourceHref(source))}" title="source: ${escapeHtml(source)}">${escapeHtml(badgeText(source))}</a>`;
}
