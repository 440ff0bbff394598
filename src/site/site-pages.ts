/**
 * The frame every page of the site shares: the Content-Security-Policy (the pages load nothing
 * but their own files; Redoc's search runs in a worker made from a blob), the navigation, and the
 * stylesheet. System fonts only, so nothing is fetched.
 */

export const contentSecurityPolicy =
  "default-src 'none'; script-src 'self' 'unsafe-inline'; worker-src blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'";

export const siteTitle = "SDS synchronization profiles API";

/** The pages, in the navigation's order. */
export const navigation: readonly { file: string; title: string }[] = [
  { file: "index.html", title: "Reference" },
  { file: "decisions.html", title: "Decisions" },
  { file: "provenance.html", title: "Provenance" },
  { file: "lifecycle.html", title: "Lifecycle" },
];

/** Height of the navigation bar: Redoc is told it, so that its anchors land below the bar. */
export const navHeight = 44;

export const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function nav(current: string): string {
  const links = navigation.map(({ file, title }) =>
    file === current ? `<a href="${file}" aria-current="page">${title}</a>` : `<a href="${file}">${title}</a>`,
  );
  return `<nav class="sds-nav" aria-label="Documentation"><span class="sds-brand">${escapeHtml(siteTitle)}</span>${links.join("")}</nav>`;
}

/** A whole page: `head` goes into <head> after the shared lines, `body` after the navigation. */
export function page(options: { file: string; title: string; body: string; head?: string }): string {
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(options.title)} – ${escapeHtml(siteTitle)}</title>`,
    // No favicon: without this, browsers ask the server for /favicon.ico.
    '<link rel="icon" href="data:,">',
    '<link rel="stylesheet" href="site.css">',
    ...(options.head ? [options.head] : []),
    "</head>",
    "<body>",
    nav(options.file),
    options.body,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/** site.css: the navigation, the Markdown pages, and the badges inside Redoc's descriptions. */
export const siteCss = `:root{--sds-text:#1b1b1b;--sds-muted:#5a5a5a;--sds-line:#d9dde3;--sds-accent:#1f4e9c}
*{box-sizing:border-box}
body{margin:0;color:var(--sds-text);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em}
.sds-nav{position:sticky;top:0;z-index:100;display:flex;align-items:center;gap:4px;height:${navHeight}px;padding:0 16px;background:#1f2a37;color:#fff;overflow-x:auto;white-space:nowrap}
.sds-nav .sds-brand{font-weight:600;margin-right:16px}
.sds-nav a{color:#d7e3f4;text-decoration:none;padding:6px 10px;border-radius:6px}
.sds-nav a:hover{background:#33475e;color:#fff}
.sds-nav a[aria-current=page]{background:#3b5b85;color:#fff}
.sds-page{max-width:1100px;margin:0 auto;padding:8px 24px 64px}
.sds-page h1,.sds-page h2,.sds-page h3{scroll-margin-top:${navHeight + 8}px;line-height:1.25}
.sds-page h2{margin-top:2em;padding-top:.4em;border-top:1px solid var(--sds-line)}
.sds-page :target{background:#fff6d6}
.sds-page table{border-collapse:collapse;margin:1em 0;display:block;overflow-x:auto}
.sds-page th,.sds-page td{border:1px solid var(--sds-line);padding:4px 8px;text-align:left;vertical-align:top}
.sds-page th{background:#f4f6f9}
.sds-page code{background:#f1f3f6;padding:.1em .3em;border-radius:4px}
.sds-page pre{background:#f6f8fa;padding:12px;overflow-x:auto;border-radius:6px}
.sds-page pre code{background:none;padding:0}
.sds-page a{color:var(--sds-accent)}
.sds-repo-link{border-bottom:1px dotted var(--sds-muted)}
.sds-figure{overflow-x:auto;border:1px solid var(--sds-line);border-radius:6px;margin:1em 0}
.sds-figure svg{display:block;width:100%;height:auto}
.sds-kinds dt{font-weight:600;margin-top:.6em;scroll-margin-top:${navHeight + 8}px}
a.sds-source,#redoc a.sds-source{display:inline-block;margin:2px 4px 0 0;padding:0 7px;border:1px solid currentColor;border-radius:9px;font-size:11px;line-height:18px;text-decoration:none;white-space:nowrap;font-family:system-ui,sans-serif}
a.sds-source:hover,#redoc a.sds-source:hover{background:#f1f3f6}
a.sds-source-documented,#redoc a.sds-source-documented{color:#1b6e2d}
a.sds-source-csdl,#redoc a.sds-source-csdl{color:#1f4e9c}
a.sds-source-graph-convention,#redoc a.sds-source-graph-convention{color:#6b3fa0}
a.sds-source-observed,#redoc a.sds-source-observed{color:#0b6f6f}
a.sds-source-kit,#redoc a.sds-source-kit{color:#a04a00}
a.sds-source-other,#redoc a.sds-source-other{color:#5a5a5a}
.sds-example{display:inline-block;padding:0 7px;border-radius:9px;font-size:11px;line-height:18px;font-weight:600;color:#fff;background:#5a5a5a}
.sds-example-verbatim{background:#1b6e2d}
.sds-example-rebuilt{background:#1f4e9c}
.sds-example-captured{background:#0b6f6f}
.sds-example-illustrative{background:#a04a00}
code.sds-opid{font-size:12px}
`;
