/**
 * `Prefer` (RFC 7240) as Graph and Prism use it: comma-separated preferences, each `name` or
 * `name=value`, e.g. `code=429, example=throttled` or `include-unknown-enum-members`.
 */
export type Preferences = Map<string, string | true>;

export function parsePrefer(header: string | null | undefined): Preferences {
  const preferences: Preferences = new Map();
  if (!header) return preferences;
  for (const part of header.split(",")) {
    const token = part.split(";")[0]?.trim();
    if (!token) continue;
    const equals = token.indexOf("=");
    if (equals < 0) {
      preferences.set(token.toLowerCase(), true);
    } else {
      const value = token
        .slice(equals + 1)
        .trim()
        .replace(/^"(.*)"$/, "$1");
      preferences.set(token.slice(0, equals).trim().toLowerCase(), value);
    }
  }
  return preferences;
}

export function formatPrefer(preferences: Preferences): string {
  return [...preferences].map(([name, value]) => (value === true ? name : `${name}=${value}`)).join(", ");
}
