import { posix } from "node:path";
import { Marked } from "marked";

/**
 * A Markdown file of the repository as a page of the site, rendered by marked (GitHub-flavoured).
 * Headings get GitHub's anchors, so a link to `decisions.md#create-status` becomes
 * `decisions.html#create-status` and still lands; links to the other pages of the site follow
 * them, and links to files the site does not have stay readable as text.
 */

/** The repository's files that are pages of the site. */
export const sitePages: Readonly<Record<string, string>> = {
  "spec/decisions.md": "decisions.html",
  "generated/PROVENANCE.md": "provenance.html",
};

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const decodeEntities = (html: string) =>
  html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens; repeats numbered. */
export function createSlugger(taken: Iterable<string> = []): (text: string) => string {
  const seen = new Map<string, number>();
  for (const id of taken) seen.set(id, 0);
  return (text) => {
    const base = text
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(base);
    seen.set(base, (count ?? -1) + 1);
    return count === undefined ? base : `${base}-${count + 1}`;
  };
}

/** Where a link of the file at `from` (a repository path) goes on the site; undefined for a file the site lacks. */
export function siteHref(href: string, from: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("#")) return href;
  const hash = href.indexOf("#");
  const path = hash < 0 ? href : href.slice(0, hash);
  const fragment = hash < 0 ? "" : href.slice(hash);
  const target = posix.normalize(posix.join(posix.dirname(from), path));
  const page = sitePages[target];
  return page === undefined ? undefined : `${page}${fragment}`;
}

/** The file's Markdown as HTML; `taken` are ids the page already uses. */
export function renderMarkdown(markdown: string, from: string, taken: Iterable<string> = []): string {
  const slug = createSlugger(taken);
  const marked = new Marked({
    gfm: true,
    renderer: {
      heading({ tokens, depth }) {
        const html = this.parser.parseInline(tokens);
        return `<h${depth} id="${escapeHtml(slug(decodeEntities(html)))}">${html}</h${depth}>\n`;
      },
      link({ href, title, tokens }) {
        const html = this.parser.parseInline(tokens);
        const target = siteHref(href, from);
        if (target === undefined) return `<span class="sds-repo-link" title="${escapeHtml(href)}">${html}</span>`;
        return `<a href="${escapeHtml(target)}"${title ? ` title="${escapeHtml(title)}"` : ""}>${html}</a>`;
      },
    },
  });
  return marked.parse(markdown, { async: false });
}
