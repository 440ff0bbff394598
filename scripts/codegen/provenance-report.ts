import { profileMachine, syncMachine } from "../../mocks/simulator/lifecycle.js";
import { graphErrorCatalogue } from "../../src/graph/graph-error-catalogue.js";
import type { OpenApiDocument } from "../../src/spec/openapi-document.js";
import { type ParsedSource, parseSource, type SourceKind } from "../../src/spec/provenance.js";
import { specAssertions } from "../../src/spec/spec-assertions.js";

/** One assertion of the kit's, wherever it is made: the spec, the error catalogue or the lifecycle table. */
export interface KitAssertion {
  where: "spec" | "error catalogue" | "lifecycle";
  /** A reader's name for the place: `PATCH /education/synchronizationProfiles/{id} → 409`, `EducationSynchronizationProfileCreate.displayName`, ... */
  place: string;
  what: string;
  source: string;
}

/** Every assertion the kit makes outside the spec: each error the servers answer with, each lifecycle transition. */
export function runtimeAssertions(): KitAssertion[] {
  const found: KitAssertion[] = [];
  for (const [name, entry] of Object.entries(graphErrorCatalogue)) {
    found.push({
      where: "error catalogue",
      place: name,
      what: `${entry.status} \`${entry.code}\``,
      source: entry.source,
    });
  }
  for (const [machine, table] of [
    ["profile", profileMachine],
    ["sync", syncMachine],
  ] as const) {
    for (const [from, events] of Object.entries(table)) {
      for (const [event, transition] of Object.entries(events as Record<string, { to: unknown; source: string }>)) {
        const to = typeof transition.to === "string" ? transition.to : "(depends on the run)";
        found.push({
          where: "lifecycle",
          place: `${machine}: ${from}`,
          what: `${event} → ${to}`,
          source: transition.source,
        });
      }
    }
  }
  return found;
}

/** The spec's assertions, named for a reader. */
export function specAssertionList(document: OpenApiDocument): KitAssertion[] {
  return specAssertions(document).map((assertion) => ({
    where: "spec",
    place: placeOf(assertion.pointer),
    what: assertion.what,
    source: assertion.source ?? "",
  }));
}

/**
 * `generated/PROVENANCE.md`: how many assertions come from each kind of source, every one that
 * rests on what the service was seen to do, and every one that is the kit's, by ledger entry.
 */
export function renderProvenanceReport(document: OpenApiDocument, notice: string): string {
  const all = [...specAssertionList(document), ...runtimeAssertions()];
  const parsed = all.map((assertion) => ({ assertion, parsed: parseSource(assertion.source) }));
  const unparsed = parsed.filter((p) => p.parsed === undefined);
  if (unparsed.length > 0) {
    const first = unparsed[0]?.assertion;
    throw new Error(
      `${unparsed.length} assertions have no source the grammar reads (decisions.md#provenance); first: ${first?.place} ${first?.what}: ${JSON.stringify(first?.source)}`,
    );
  }
  const kinds: SourceKind[] = ["documented", "csdl", "graph-convention", "observed", "kit"];
  const count = (where: KitAssertion["where"], kind: SourceKind) =>
    parsed.filter((p) => p.assertion.where === where && p.parsed?.kind === kind).length;
  const byEntry = (kind: "observed" | "kit") => {
    const grouped = new Map<string, KitAssertion[]>();
    for (const { assertion, parsed: source } of parsed as { assertion: KitAssertion; parsed: ParsedSource }[]) {
      if (source.kind !== kind || source.decision === undefined) continue;
      grouped.set(source.decision, [...(grouped.get(source.decision) ?? []), assertion]);
    }
    return grouped;
  };
  const section = (grouped: Map<string, KitAssertion[]>) =>
    [...grouped.keys()]
      .sort()
      .flatMap((entry) => [
        `### [${entry}](../spec/decisions.md#${entry})`,
        "",
        "| Where | Place | What |",
        "| --- | --- | --- |",
        ...(grouped.get(entry) ?? []).map(
          (assertion) => `| ${assertion.where} | ${cell(assertion.place)} | ${cell(assertion.what)} |`,
        ),
        "",
      ]);
  const lines = [
    `<!-- ${notice} -->`,
    "",
    "# Provenance: what the kit asserts, and on whose word",
    "",
    "Every assertion of `spec/openapi.yaml`, of the error catalogue (`src/graph/graph-error-catalogue.ts`) and of",
    "the simulator's lifecycle table (`mocks/simulator/lifecycle.ts`) names its source",
    "([decisions.md#provenance](../spec/decisions.md#provenance)). This page counts them by kind, then lists every",
    "one that rests on what the live service was seen to do (held from the `observed` conformance level up), and",
    "every one that is the kit's own decision rather than Microsoft's word (held only at the `kit` level).",
    "",
    `| Where | ${kinds.join(" | ")} |`,
    `| --- |${" ---: |".repeat(kinds.length)}`,
    ...(["spec", "error catalogue", "lifecycle"] as const).map(
      (where) => `| ${where} | ${kinds.map((kind) => count(where, kind)).join(" | ")} |`,
    ),
    "",
    "## What the service was seen to do, by entry",
    "",
    ...section(byEntry("observed")),
    "## The kit's assertions, by decision",
    "",
    ...section(byEntry("kit")),
  ];
  return `${lines.join("\n").trimEnd()}\n`;
}

const cell = (text: string) => text.replace(/\|/g, "\\|");

/** A JSON pointer into the bundled spec, as a reader would name the place. */
export function placeOf(pointer: string): string {
  const segments = pointer
    .split("/")
    .slice(1)
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (segments[0] === "paths") {
    const [, path, method, ...rest] = segments;
    const head = method === undefined || method === "parameters" ? `${path}` : `${method.toUpperCase()} ${path}`;
    if (rest[0] === "responses" && rest[1] !== undefined) return `${head} → ${rest[1]}`;
    if (rest[0] === "requestBody") return `${head} request`;
    return rest.length > 0 && method !== undefined ? `${head} (${[method, ...rest].join(".")})` : head;
  }
  if (segments[0] === "components") {
    const [, kind, name, ...rest] = segments;
    const names: string[] = [name ?? ""];
    for (let index = 0; index < rest.length; index += 1) {
      const segment = rest[index];
      if (segment === "properties" && rest[index + 1] !== undefined) {
        names.push(rest[index + 1] ?? "");
        index += 1;
      } else if (segment === "items") names.push("[]");
      else if (segment === "oneOf" || segment === "anyOf" || segment === "allOf") index += 1;
    }
    const label = names.join(".").replace(/\.\[\]/g, "[]");
    return kind === "schemas" ? label : `${kind?.replace(/s$/, "")} ${label}`;
  }
  return pointer;
}
