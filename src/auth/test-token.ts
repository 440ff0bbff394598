export interface TestTokenOptions {
  /** Delegated permissions, sent in `scp` (space-separated), e.g. `["EduAdministration.ReadWrite"]`. */
  scopes?: string[];
  /** Application permissions, sent in `roles`, e.g. `["EduAdministration.ReadWrite.All"]`. */
  roles?: string[];
  /** Tenant id; the simulator keeps each tenant's profiles apart. */
  tid?: string;
  /** Seconds since the epoch after which the token is refused; omitted means it never expires. */
  exp?: number;
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/**
 * An unsigned JWT (`alg: none`) carrying the claims the simulator checks. Not a real token: it is
 * for the simulator, and for anything else that only reads claims.
 */
export function createTestToken(options: TestTokenOptions = {}): string {
  const claims: Record<string, unknown> = {
    aud: "https://graph.microsoft.com",
    iss: "https://sts.windows.net/sds-contract-kit/",
    tid: options.tid ?? "00000000-0000-0000-0000-000000000000",
  };
  if (options.scopes) claims.scp = options.scopes.join(" ");
  if (options.roles) claims.roles = options.roles;
  if (options.exp !== undefined) claims.exp = options.exp;
  return `${encode({ typ: "JWT", alg: "none" })}.${encode(claims)}.`;
}

export interface TokenClaims {
  scp?: string;
  roles?: string[];
  tid?: string;
  exp?: number;
}

/**
 * The claims whose type the simulator checks before it reads them. `tid` names the tenant whose
 * profiles a request sees: anything but a non-empty string must not become a tenant of its own. The
 * others are read with their types checked where they are used (a string `exp` never expires, and
 * `scp` that is not a string is no scope).
 */
const claimTypes: Partial<Record<keyof TokenClaims, { is(value: unknown): boolean; what: string }>> = {
  tid: { is: (value) => typeof value === "string" && value !== "", what: "a tenant id (a non-empty string)" },
};

/**
 * The first claim the simulator reads that is present but not of its type, said as the reason a
 * token will not do: a `tid` of 42 names no tenant, and must not become one.
 */
export function malformedClaim(claims: TokenClaims): string | undefined {
  for (const [name, type] of Object.entries(claimTypes)) {
    const value = (claims as Record<string, unknown>)[name];
    if (type !== undefined && value !== undefined && !type.is(value))
      return `the ${name} claim must be ${type.what}, got ${JSON.stringify(value)}`;
  }
  return undefined;
}

// Clients send the same few tokens over and over; decoding each once is enough.
const claimsCache = new Map<string, TokenClaims | undefined>();
const claimsCacheSize = 256;

export function readClaims(token: string): TokenClaims | undefined {
  if (claimsCache.has(token)) return claimsCache.get(token);
  const claims = decodeClaims(token);
  if (claimsCache.size >= claimsCacheSize) claimsCache.clear();
  claimsCache.set(token, claims);
  return claims;
}

function decodeClaims(token: string): TokenClaims | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as unknown;
    return claims !== null && typeof claims === "object" && !Array.isArray(claims)
      ? (claims as TokenClaims)
      : undefined;
  } catch {
    return undefined;
  }
}
