/** One step of a search: from a node, an event, the node it led to, and the events from the start to it. */
export interface SearchStep<N, E> {
  from: N;
  event: E;
  to: N;
  path: E[];
}

/**
 * Every step from every node reachable from `starts`, breadth first: each event tried from each node
 * (`step` answers the node it leads to, or undefined when the event is refused), each node
 * explored once (nodes are the same when their `key` is). The first step that reaches a node is on
 * a shortest path to it. Stop early by leaving the loop.
 */
export function* breadthFirst<N, E>(
  starts: readonly N[],
  events: readonly E[],
  step: (node: N, event: E) => N | undefined,
  key: (node: N) => string,
): Generator<SearchStep<N, E>> {
  let frontier = starts.map((node) => ({ node, path: [] as E[] }));
  const seen = new Set(starts.map(key));
  while (frontier.length > 0) {
    const next: typeof frontier = [];
    for (const { node, path } of frontier) {
      for (const event of events) {
        const to = step(node, event);
        if (to === undefined) continue;
        const reached = [...path, event];
        yield { from: node, event, to, path: reached };
        if (seen.has(key(to))) continue;
        seen.add(key(to));
        next.push({ node: to, path: reached });
      }
    }
    frontier = next;
  }
}
