import { describe, expect, test } from "vitest";
import { profileMachine, syncMachine } from "../../mocks/simulator/lifecycle.js";
import { renderDocsSite } from "../../src/site/docs-site.js";

/**
 * The site's lifecycle.svg against the simulator's own tables (not against generated/lifecycle.json,
 * which the diagram is drawn from): every state a box, every row an edge labelled with its event.
 */
const svg = renderDocsSite().find((file) => file.path === "lifecycle.svg")?.body ?? "";

interface DrawnMachine {
  states: string[];
  edges: { from: string; to: string; events: string[]; label: string }[];
}

const decodeXml = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** The machines as the SVG text draws them: its state boxes and transition groups, with their visible labels. */
function parseDiagram(text: string): Map<string, DrawnMachine> {
  const machines = new Map<string, DrawnMachine>();
  for (const [, name, body] of text.matchAll(
    /<g class="machine" data-machine="([^"]+)">([\s\S]*?)(?=<g class="machine"|<\/svg>)/g,
  )) {
    machines.set(name ?? "", {
      states: [
        ...(body ?? "").matchAll(
          /<g class="state[^"]*" data-state="([^"]+)">\n<rect [^>]*\/>\n<text [^>]*>([^<]*)<\/text>/g,
        ),
      ].map(([, state, label]) => {
        expect(label, `the box of ${state} shows its name`).toBe(state);
        return decodeXml(state ?? "");
      }),
      edges: [
        ...(body ?? "").matchAll(
          /<g class="transition" data-from="([^"]+)" data-to="([^"]+)" data-events="([^"]+)">\n<title>[^<]*<\/title>\n<path d="M[^"]+"[^>]*\/>\n<text [^>]*>([^<]+)<\/text>\n<\/g>/g,
        ),
      ].map(([, from, to, events, label]) => ({
        from: decodeXml(from ?? ""),
        to: decodeXml(to ?? ""),
        events: decodeXml(events ?? "").split(" "),
        label: decodeXml(label ?? ""),
      })),
    });
  }
  return machines;
}

const drawn = parseDiagram(svg);
const tables = { profile: profileMachine, sync: syncMachine } as const;

/** Every row of a table: its state, event, and where it leads when the table says so outright. */
function rows(table: Record<string, Partial<Record<string, { to: unknown; noop?: true }>>>) {
  return Object.entries(table).flatMap(([from, events]) =>
    Object.entries(events).map(
      ([event, row]) =>
        [from, event, row?.noop ? from : typeof row?.to === "string" ? row.to : "(computed)"] as [
          string,
          string,
          string,
        ],
    ),
  );
}

describe("lifecycle.svg", () => {
  test("draws both machines, and nothing else", () => {
    expect([...drawn.keys()]).toEqual(Object.keys(tables));
  });

  describe.each(Object.entries(tables))("the %s machine", (name, table) => {
    const machine = drawn.get(name) ?? { states: [], edges: [] };

    test("every state of the table is a box, once", () => {
      expect(Object.keys(table).length).toBeGreaterThan(4);
      expect([...machine.states].sort()).toEqual(Object.keys(table).sort());
    });

    test.each(rows(table))("%s --%s--> %s is an edge labelled with its event", (from, event, to) => {
      const edges = machine.edges.filter((edge) => edge.from === from && edge.events.includes(event));
      expect(edges.length, `an edge from ${from} on ${event}`).toBeGreaterThan(0);
      if (to !== "(computed)") expect(edges.map((edge) => edge.to)).toContain(to);
      for (const edge of edges) expect(edge.label.split(/ · |\*| \(no-op\)/)).toContain(event);
    });

    test("no edge that the table lacks", () => {
      const known = new Set(rows(table).map(([from, event]) => `${from} ${event}`));
      const extra = machine.edges.flatMap((edge) =>
        edge.events.filter((event) => !known.has(`${edge.from} ${event}`)).map((event) => `${edge.from} ${event}`),
      );
      expect(extra).toEqual([]);
    });
  });

  // Written out by hand, so that a diagram and tables that both lost a state cannot agree on it.
  test.each([
    ["profile", "absent", "create", "provisioning"],
    ["profile", "provisioning", "finishProvisioning", "provisioned"],
    ["profile", "provisioning", "failProvisioning", "provisioningFailed"],
    ["profile", "deleting", "failDeletion", "deletionFailed"],
    ["sync", "paused", "start", "extracting"],
    ["sync", "inProgress", "succeed", "success"],
    ["sync", "inProgress", "quarantine", "quarantined"],
    ["sync", "validationError", "resume", "inProgress"],
    ["sync", "paused", "resume", "validating"],
  ])("%s: %s --%s--> %s is drawn", (name, from, event, to) => {
    const machine = drawn.get(name);
    expect(machine?.states).toEqual(expect.arrayContaining([from, to]));
    expect(machine?.edges.some((edge) => edge.from === from && edge.to === to && edge.events.includes(event))).toBe(
      true,
    );
  });

  test("the same tables give the same bytes", () => {
    expect(renderDocsSite().find((file) => file.path === "lifecycle.svg")?.body).toBe(svg);
  });
});
