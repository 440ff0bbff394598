import type { ResponseIds } from "../graph/graph-error-catalogue.js";
import { errorResponse, type GraphResponse } from "../graph/graph-responses.js";
import { importPart, MissingPartError } from "../parts/optional-parts.js";
import type { DocsSiteFile } from "./docs-site.js";
import { contentSecurityPolicy } from "./site-pages.js";

/**
 * The documentation site as both servers serve it, under their admin prefix: `<prefix>/docs/`
 * (`/_sds/docs/` by default). It is built at the first request and kept for the process: the
 * same spec always gives the same site. Its modules (marked, the renderers) load then too, so a
 * server that is never asked for it does not load them.
 */

let site: Promise<Map<string, DocsSiteFile>> | undefined;

function siteFiles(): Promise<Map<string, DocsSiteFile>> {
  site ??= importPart("docsSite", () => import("./docs-site.js")).then(
    ({ renderDocsSite }) => new Map(renderDocsSite().map((file) => [file.path, file])),
    (error: unknown) => {
      // Installed later, the site is there on the next request.
      site = undefined;
      throw error;
    },
  );
  return site;
}

/** Whether a path is the site's: `<prefix>/docs` or below it. */
export function isDocsPath(prefix: string, pathname: string): boolean {
  return pathname === `${prefix}/docs` || pathname.startsWith(`${prefix}/docs/`);
}

/**
 * The response to a GET (or HEAD) of the site: a file with its content type and the site's
 * Content-Security-Policy, a redirect from `<prefix>/docs` to `<prefix>/docs/` (the pages link
 * to each other relatively), or the kit's 404 for a file the site does not have, from either
 * server alike. Undefined for anything else: the server answers it as it answers other paths.
 */
export async function docsSiteResponse(
  prefix: string,
  method: string,
  pathname: string,
  ids: ResponseIds,
): Promise<GraphResponse | undefined> {
  if ((method !== "GET" && method !== "HEAD") || !isDocsPath(prefix, pathname)) return undefined;
  const root = `${prefix}/docs`;
  if (pathname === root) return { status: 301, headers: { location: `${root}/` }, body: undefined };
  const name = pathname.slice(root.length + 1) || "index.html";
  let files: Map<string, DocsSiteFile>;
  try {
    files = await siteFiles();
  } catch (error) {
    // Its renderers are an optional part: a server without them says which to add.
    if (error instanceof MissingPartError) return errorResponse("adminRouteNotFound", error.message, ids);
    throw error;
  }
  const file = files.get(name);
  if (!file) return errorResponse("adminRouteNotFound", `The documentation site has no ${name}.`, ids);
  return {
    status: 200,
    headers: {
      "content-type": file.contentType,
      "content-security-policy": contentSecurityPolicy,
      "x-content-type-options": "nosniff",
      "cache-control": "no-cache",
    },
    body: file.body,
  };
}
