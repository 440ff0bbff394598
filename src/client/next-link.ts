import { GraphError, NextLinkError } from "./graph-error.js";

export interface LinkContext {
  /** The configured base URL, version included: requests go there, whatever origin a link names. */
  baseUrl: string;
  /** The request's headers (auth, Prefer), for each page. */
  headers(): Promise<Record<string, string>>;
  fetch: (request: Request) => Promise<Response>;
}

/**
 * Follows an absolute `@odata.nextLink` of the list at `listPath`, with the client's headers and
 * error handling. Next links carry the service's own origin; requests keep going to the configured
 * one. A link that is not a page of that list is refused rather than requested.
 */
export async function followNextLink(link: string, listPath: string, context: LinkContext): Promise<unknown> {
  const refuse = (why: string) =>
    new NextLinkError(`cannot follow @odata.nextLink ${JSON.stringify(link)}: ${why}`, link);
  if (!URL.canParse(link)) throw refuse("it is not an absolute URL");
  const url = new URL(link);
  const base = new URL(context.baseUrl);
  const path = url.pathname.startsWith(base.pathname)
    ? url.pathname.slice(base.pathname.replace(/\/$/, "").length)
    : url.pathname;
  if (url.hash !== "" || decodeURIComponent(path).includes("$metadata"))
    throw refuse("it points into the $metadata document, not at a page (decisions.md#gen-a-next-link)");
  if (!path.toLowerCase().endsWith(listPath.toLowerCase())) throw refuse(`it is not a page of ${listPath}`);
  const request = new Request(`${context.baseUrl.replace(/\/$/, "")}${path}${url.search}`, {
    headers: await context.headers(),
  });
  const response = await context.fetch(request);
  if (!response.ok) throw await GraphError.fromResponse(response);
  return response.json();
}
