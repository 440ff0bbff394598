import type { LifecycleGraph, LifecycleMachineGraph, LifecycleTransition } from "./lifecycle-graph.js";

/**
 * The lifecycle diagram, drawn here rather than by a layout tool. Each machine is laid out in
 * layers from its initial state down (a state's layer is its distance from there along the fixed
 * edges), the states of a layer in the table's order. Every transition is an edge labelled with
 * its event; transitions between the same two states share one edge and one label. Edges between
 * neighbouring layers are curves; longer ones run in lanes beside the layers (back edges on the
 * right, forward ones on the left), one lane per target and label, so that the many `pause` and
 * `reset` edges of the sync machine read as one bus each; edges within a layer run below it.
 * Deterministic: the same tables give the same bytes.
 */

const font = "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace";
const stateFontSize = 13;
const labelFontSize = 11;
/** A monospace character is 0.6 em wide: text widths are estimated from it, never measured. */
const textWidth = (text: string, size: number) => text.length * size * 0.6;
const nodeHeight = 34;
const layerGap = 140;
const nodeGap = 180;
const laneGap = 22;
const margin = 24;
const titleHeight = 40;
const machineGap = 36;

interface Box {
  state: string;
  layer: number;
  x: number;
  y: number;
  width: number;
}

interface Edge {
  from: string;
  to: string;
  transitions: LifecycleTransition[];
  label: string;
}

interface Drawn {
  from: string;
  to: string;
  events: string;
  title: string;
  path: string;
  dynamic: boolean;
  label: { x: number; y: number; anchor: "start" | "end"; rotate?: boolean };
  labelText: string;
}

/** The extent of what is drawn, for the machine's frame. */
class Bounds {
  minX = Number.POSITIVE_INFINITY;
  minY = Number.POSITIVE_INFINITY;
  maxX = Number.NEGATIVE_INFINITY;
  maxY = Number.NEGATIVE_INFINITY;
  add(x: number, y: number): void {
    this.minX = Math.min(this.minX, x);
    this.maxX = Math.max(this.maxX, x);
    this.minY = Math.min(this.minY, y);
    this.maxY = Math.max(this.maxY, y);
  }
}

const escapeXml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
/** Coordinates to one decimal, without a trailing `.0`: stable text for stable bytes. */
const n = (value: number) => {
  const fixed = (Math.round(value * 10) / 10 + 0).toFixed(1);
  return fixed.endsWith(".0") ? fixed.slice(0, -2) : fixed;
};

/**
 * Each state's distance from the initial state along the table's fixed edges (a computed target,
 * resume's, would put every status one step from paused); unreachable ones come last.
 */
function layersOf(machine: LifecycleMachineGraph): Map<string, number> {
  const layer = new Map<string, number>([[machine.initial, 0]]);
  let frontier = [machine.initial];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const state of frontier) {
      for (const { from, to, dynamic } of machine.transitions) {
        if (from !== state || dynamic || layer.has(to)) continue;
        layer.set(to, (layer.get(state) ?? 0) + 1);
        next.push(to);
      }
    }
    frontier = next;
  }
  const last = Math.max(...layer.values()) + 1;
  for (const state of machine.states) if (!layer.has(state)) layer.set(state, last);
  return layer;
}

/** Transitions between the same two states, as one edge: its events, `*` where the target is computed, `(no-op)` where nothing changes. */
function edgesOf(machine: LifecycleMachineGraph): Edge[] {
  const edges = new Map<string, Edge>();
  for (const transition of machine.transitions) {
    const key = `${transition.from}\u0000${transition.to}`;
    const edge = edges.get(key) ?? { from: transition.from, to: transition.to, transitions: [], label: "" };
    edge.transitions.push(transition);
    edges.set(key, edge);
  }
  for (const edge of edges.values()) {
    const labels: string[] = [];
    for (const t of edge.transitions) {
      const label = `${t.event}${t.dynamic ? "*" : ""}${t.noop ? " (no-op)" : ""}`;
      if (!labels.includes(label)) labels.push(label);
    }
    edge.label = labels.join(" · ");
  }
  return [...edges.values()];
}

/** Where a ray from a box's centre towards (tx, ty) leaves the box. */
function exitPoint(box: Box, tx: number, ty: number): [number, number] {
  const dx = tx - box.x;
  const dy = ty - box.y;
  const scale = Math.min(
    dx === 0 ? Number.POSITIVE_INFINITY : box.width / 2 / Math.abs(dx),
    dy === 0 ? Number.POSITIVE_INFINITY : nodeHeight / 2 / Math.abs(dy),
  );
  return [box.x + dx * scale, box.y + dy * scale];
}

function layoutBoxes(machine: LifecycleMachineGraph): Map<string, Box> {
  const layers = layersOf(machine);
  const depth = Math.max(...layers.values()) + 1;
  const boxes = new Map<string, Box>();
  for (let layer = 0; layer < depth; layer += 1) {
    const states = machine.states.filter((state) => layers.get(state) === layer);
    const widths = states.map((state) => Math.max(96, textWidth(state, stateFontSize) + 28));
    const total = widths.reduce((sum, w) => sum + w, 0) + nodeGap * (states.length - 1);
    let x = -total / 2;
    for (const [index, state] of states.entries()) {
      const width = widths[index] ?? 0;
      boxes.set(state, { state, layer, x: x + width / 2, y: layer * layerGap, width });
      x += width + nodeGap;
    }
  }
  return boxes;
}

function drawMachine(machine: LifecycleMachineGraph): { drawn: Drawn[]; boxes: Map<string, Box>; bounds: Bounds } {
  const boxes = layoutBoxes(machine);
  const box = (state: string): Box => {
    const found = boxes.get(state);
    if (!found) throw new Error(`lifecycle diagram: ${machine.name} has no state ${state}`);
    return found;
  };
  const bounds = new Bounds();
  for (const b of boxes.values()) {
    bounds.add(b.x - b.width / 2, b.y - nodeHeight / 2);
    bounds.add(b.x + b.width / 2, b.y + nodeHeight / 2);
  }
  const edges = edgesOf(machine);
  const pairs = new Set(edges.map((e) => `${e.from}\u0000${e.to}`));
  // Lanes run outside everything in the layers, self-loops and their labels included.
  const left = bounds.minX;
  let right = bounds.maxX;
  for (const edge of edges)
    if (edge.from === edge.to) {
      const b = box(edge.from);
      right = Math.max(right, b.x + b.width / 2 + 46 + textWidth(edge.label, labelFontSize));
    }
  const drawn: Drawn[] = [];
  const base = (edge: Edge) => ({
    from: edge.from,
    to: edge.to,
    events: [...new Set(edge.transitions.map((t) => t.event))].join(" "),
    title: `${machine.name}: ${edge.from} → ${edge.to} on ${edge.label}`,
    dynamic: edge.transitions.every((t) => t.dynamic === true),
    labelText: edge.label,
  });

  // Lanes: back edges that skip a layer share one per target and label (right); forward ones, one per source and label (left).
  const lanes = { right: [] as string[], left: [] as string[] };
  const laneOf = (side: "right" | "left", key: string) => {
    if (!lanes[side].includes(key)) lanes[side].push(key);
    return lanes[side].indexOf(key);
  };
  // How many lanes enter or leave each box's side, to spread them along it.
  const sideSlots = new Map<string, string[]>();
  const slotOf = (state: string, key: string) => {
    const slots = sideSlots.get(state) ?? [];
    if (!slots.includes(key)) slots.push(key);
    sideSlots.set(state, slots);
    return slots.indexOf(key);
  };
  const belowSlots = new Map<number, number>();

  for (const edge of edges) {
    const from = box(edge.from);
    const to = box(edge.to);
    const span = to.layer - from.layer;
    if (from === to) {
      // A loop on the box's right side, labelled beside it.
      const x = from.x + from.width / 2;
      const path = `M${n(x)} ${n(from.y - 8)} C${n(x + 44)} ${n(from.y - 32)} ${n(x + 44)} ${n(from.y + 32)} ${n(x + 2)} ${n(from.y + 9)}`;
      drawn.push({ ...base(edge), path, label: { x: x + 42, y: from.y + 4, anchor: "start" } });
      bounds.add(x + 46 + textWidth(edge.label, labelFontSize), from.y);
    } else if (span === 0) {
      // Within a layer: down into the gap below, across, and up into the target.
      const slot = belowSlots.get(from.layer) ?? 0;
      belowSlots.set(from.layer, slot + 1);
      const y = from.y + nodeHeight / 2 + 22 + slot * 16;
      const sx = from.x + (to.x > from.x ? 12 : -12);
      const tx = to.x + (to.x > from.x ? -12 : 12);
      const path = `M${n(sx)} ${n(from.y + nodeHeight / 2)} V${n(y)} H${n(tx)} V${n(to.y + nodeHeight / 2 + 1)}`;
      // Labelled where it leaves its source, away from the edges that cross the gap's middle.
      const lx = sx + (to.x > from.x ? 6 : -6);
      drawn.push({ ...base(edge), path, label: { x: lx, y: y - 4, anchor: to.x > from.x ? "start" : "end" } });
      bounds.add(sx, y + 4);
    } else if (Math.abs(span) === 1) {
      // Neighbouring layers: a curve, bowed to the right of travel when the reverse edge exists too.
      const offset = pairs.has(`${edge.to}\u0000${edge.from}`) ? 26 : 0;
      const dx = to.x - from.x;
      const dy = to.y - from.y;
      const length = Math.hypot(dx, dy);
      const [nx, ny] = [-dy / length, dx / length];
      const cx = (from.x + to.x) / 2 + nx * offset * 2;
      const cy = (from.y + to.y) / 2 + ny * offset * 2;
      const [sx, sy] = exitPoint(from, cx, cy);
      const [ex, ey] = exitPoint(to, cx, cy);
      const path = `M${n(sx)} ${n(sy)} Q${n(cx)} ${n(cy)} ${n(ex)} ${n(ey)}`;
      // Labels of downward edges sit in the upper part of the gap, of upward ones in the lower part.
      const t = dy > 0 ? 0.38 : 0.62;
      const mx = (1 - t) ** 2 * sx + 2 * (1 - t) * t * cx + t ** 2 * ex;
      const my = (1 - t) ** 2 * sy + 2 * (1 - t) * t * cy + t ** 2 * ey + 4;
      // The label sits on the outer side of the bow, so that the two edges of a pair keep theirs apart.
      const side = nx * offset < 0 || (offset === 0 && dx < 0) ? "end" : "start";
      const lx = mx + (side === "start" ? 6 : -6);
      drawn.push({ ...base(edge), path, label: { x: lx, y: my, anchor: side } });
      const w = textWidth(edge.label, labelFontSize);
      bounds.add(side === "start" ? lx + w : lx - w, my);
    } else {
      const back = span < 0;
      const side = back ? "right" : "left";
      const key = back ? `to ${edge.to} ${edge.label}` : `from ${edge.from} ${edge.label}`;
      const lane = laneOf(side, key);
      const laneX = back ? right + 40 + lane * laneGap : left - 40 - lane * laneGap;
      // Both ends go through the tops of the boxes, from the gaps above their layers: a lane never
      // crosses a box's side, where the self-loops are.
      const hub = back ? to : from;
      const hubSlot = slotOf(`${hub.state} ${back ? "top" : "side"}`, key);
      const other = back ? from : to;
      const otherSlot = slotOf(`${other.state} top`, key);
      const otherX = other.x + (back ? 1 : -1) * (otherSlot * 10 - 4);
      const gapY = other.y - nodeHeight / 2 - 14 - lane * 7;
      let path: string;
      let labelAt: { x: number; y: number };
      if (back) {
        const hubX = hub.x + hub.width / 2 - 10 - hubSlot * 10;
        const hubGapY = hub.y - nodeHeight / 2 - 14 - hubSlot * 7;
        path = `M${n(otherX)} ${n(other.y - nodeHeight / 2)} V${n(gapY)} H${n(laneX)} V${n(hubGapY)} H${n(hubX)} V${n(hub.y - nodeHeight / 2 - 1)}`;
        labelAt = { x: laneX - 5, y: hubGapY + 8 };
        bounds.add(laneX + 10, hubGapY - 10);
      } else {
        const hubY = hub.y - 8 + hubSlot * 8;
        const hubX = hub.x - hub.width / 2;
        path = `M${n(hubX)} ${n(hubY)} H${n(laneX)} V${n(gapY)} H${n(otherX)} V${n(other.y - nodeHeight / 2 - 1)}`;
        labelAt = { x: laneX - 5, y: hubY + 12 };
        bounds.add(laneX - 10, hubY);
      }
      // One label per lane, along it, beside the state it serves; each edge of the lane carries it, in the same place.
      drawn.push({ ...base(edge), path, label: { ...labelAt, anchor: "end", rotate: true } });
    }
  }
  return { drawn, boxes, bounds };
}

function renderDrawn(d: Drawn): string[] {
  const { x, y, anchor, rotate } = d.label;
  const transform = rotate ? ` transform="rotate(-90 ${n(x)} ${n(y)})"` : "";
  return [
    `<g class="transition" data-from="${escapeXml(d.from)}" data-to="${escapeXml(d.to)}" data-events="${escapeXml(d.events)}">`,
    `<title>${escapeXml(d.title)}</title>`,
    `<path d="${d.path}"${d.dynamic ? ' class="dynamic"' : ""} marker-end="url(#sds-arrow)"/>`,
    `<text x="${n(x)}" y="${n(y)}" text-anchor="${anchor}"${transform}>${escapeXml(d.labelText)}</text>`,
    "</g>",
  ];
}

/** lifecycle.svg: both machines, one above the other, as a standalone SVG document. */
export function renderLifecycleSvg(graph: LifecycleGraph): string {
  const drawnMachines = graph.machines.map((machine) => ({ machine, ...drawMachine(machine) }));
  const width = Math.max(...drawnMachines.map(({ bounds }) => bounds.maxX - bounds.minX)) + 2 * margin;
  const body: string[] = [];
  let top = 0;
  for (const { machine, drawn, boxes, bounds } of drawnMachines) {
    // Centre the machine; its title above it.
    const dx = (width - (bounds.maxX - bounds.minX)) / 2 - bounds.minX;
    const dy = top + titleHeight - bounds.minY;
    body.push(
      `<g class="machine" data-machine="${escapeXml(machine.name)}">`,
      `<text class="machine-title" x="${margin}" y="${n(top + 22)}">${escapeXml(machine.title)}</text>`,
      `<g transform="translate(${n(dx)} ${n(dy)})">`,
    );
    for (const d of drawn) body.push(...renderDrawn(d));
    for (const state of machine.states) {
      const b = boxes.get(state);
      if (!b) continue;
      body.push(
        `<g class="state${state === machine.initial ? " initial" : ""}" data-state="${escapeXml(state)}">`,
        `<rect x="${n(b.x - b.width / 2)}" y="${n(b.y - nodeHeight / 2)}" width="${n(b.width)}" height="${nodeHeight}" rx="8"/>`,
        `<text x="${n(b.x)}" y="${n(b.y + 4.5)}" text-anchor="middle">${escapeXml(state)}</text>`,
        "</g>",
      );
    }
    body.push("</g>", "</g>");
    top += titleHeight + (bounds.maxY - bounds.minY) + machineGap;
  }
  const dynamic = graph.machines.some((m) => m.transitions.some((t) => t.dynamic));
  const legend = [
    "Dashed boxes: where a machine starts.",
    dynamic
      ? "* (dashed edges): the target is computed when the event fires (resume: back to the status it paused)."
      : "",
  ]
    .filter(Boolean)
    .join(" ");
  const height = top + 8;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="sds-lifecycle" viewBox="0 0 ${n(width)} ${n(height)}" width="${n(width)}" height="${n(height)}" role="img" aria-labelledby="sds-lifecycle-title">`,
    `<title id="sds-lifecycle-title">The synchronization profile lifecycle: ${escapeXml(graph.machines.map((m) => m.title).join("; "))}</title>`,
    "<defs>",
    '<marker id="sds-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#555"/></marker>',
    "<style>",
    `.sds-lifecycle text{font-family:${font};fill:#1b1b1b}`,
    ".sds-lifecycle .machine-title{font-size:15px;font-weight:bold}",
    ".sds-lifecycle .state rect{fill:#eef3fb;stroke:#1f4e9c;stroke-width:1.5}",
    ".sds-lifecycle .state.initial rect{fill:#fff;stroke-dasharray:5 3}",
    `.sds-lifecycle .state text{font-size:${stateFontSize}px}`,
    ".sds-lifecycle .transition path{fill:none;stroke:#555;stroke-width:1.2}",
    ".sds-lifecycle .transition path.dynamic{stroke-dasharray:6 4}",
    `.sds-lifecycle .transition text{font-size:${labelFontSize}px;fill:#6b3fa0;stroke:#fff;stroke-width:4px;paint-order:stroke;stroke-linejoin:round}`,
    `.sds-lifecycle .legend{font-size:${labelFontSize}px}`,
    "</style>",
    "</defs>",
    '<rect width="100%" height="100%" fill="#fff"/>',
    ...body,
    `<text class="legend" x="${margin}" y="${n(height - 10)}">${escapeXml(legend)}</text>`,
    "</svg>",
    "",
  ].join("\n");
}
