/**
 * `Prefer` (RFC 7240) as Graph and Prism use it: comma-separated preferences, each `name` or
 * `name=value`, e.g. `code=429, example=throttled` or `include-unknown-enum-members`. A value may
 * be a quoted string (RFC 9110 §5.6.4), which can hold commas, semicolons and `\`-escaped quotes:
 * `example="a,b"` is one preference.
 */
export type Preferences = Map<string, string | true>;

/** The header split at `separator`, but never inside a quoted string. */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] ?? "";
    if (quoted && char === "\\" && i + 1 < text.length) {
      current += char + (text[i + 1] ?? "");
      i += 1;
    } else if (char === '"') {
      quoted = !quoted;
      current += char;
    } else if (char === separator && !quoted) {
      parts.push(current);
      current = "";
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

/** A token or a quoted string, as its value: the quotes off and the escapes undone. */
function unquote(value: string): string {
  const quoted = /^"((?:[^"\\]|\\.)*)"$/s.exec(value);
  return quoted ? (quoted[1] ?? "").replace(/\\(.)/gs, "$1") : value;
}

export function parsePrefer(header: string | null | undefined): Preferences {
  const preferences: Preferences = new Map();
  if (!header) return preferences;
  for (const part of splitOutsideQuotes(header, ",")) {
    // Parameters after `;` belong to the preference and are not read.
    const token = splitOutsideQuotes(part, ";")[0]?.trim();
    if (!token) continue;
    const equals = token.indexOf("=");
    if (equals < 0) preferences.set(token.toLowerCase(), true);
    else preferences.set(token.slice(0, equals).trim().toLowerCase(), unquote(token.slice(equals + 1).trim()));
  }
  return preferences;
}

/** A value as a token where it can be one, else a quoted string. */
const quoteIfNeeded = (value: string) =>
  /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value) ? value : `"${value.replace(/(["\\])/g, "\\$1")}"`;

export function formatPrefer(preferences: Preferences): string {
  return [...preferences]
    .map(([name, value]) => (value === true ? name : `${name}=${quoteIfNeeded(value)}`))
    .join(", ");
}
