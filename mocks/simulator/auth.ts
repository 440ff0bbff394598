import type { Operation } from "../../generated/operations.js";

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

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; status: 401 | 403; reason: string };

/**
 * Reads a bearer token's claims (the signature is not checked: the simulator is not an identity
 * provider) and checks them against the operation's permissions, as Graph does: delegated
 * permissions in `scp`, application permissions in `roles`.
 */
export function checkToken(authorization: string | null, operation: Operation, nowMs: number): TokenCheck {
  if (!authorization) return { ok: false, status: 401, reason: "Access token is empty." };
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!match?.[1]) return { ok: false, status: 401, reason: "Access token is missing or not a Bearer token." };
  const claims = readClaims(match[1]);
  if (!claims) return { ok: false, status: 401, reason: "CompactToken parsing failed: the access token is not a JWT." };
  if (typeof claims.exp === "number" && claims.exp * 1000 <= nowMs) {
    return { ok: false, status: 401, reason: "Lifetime validation failed, the token is expired." };
  }
  const { delegated, application } = operation.permissions;
  if (typeof claims.scp === "string") {
    const granted = claims.scp.split(" ");
    if (delegated.some((permission) => granted.includes(permission))) return { ok: true, claims };
    return {
      ok: false,
      status: 403,
      reason: `Missing scope: ${operation.operationId} needs one of ${delegated.join(", ")} in scp (delegated); the token has ${claims.scp || "none"}.`,
    };
  }
  if (Array.isArray(claims.roles)) {
    if (application.length === 0) {
      return {
        ok: false,
        status: 403,
        reason: `${operation.operationId} does not support application permissions; use a delegated token with ${delegated.join(" or ")}.`,
      };
    }
    if (application.some((permission) => claims.roles?.includes(permission))) return { ok: true, claims };
    return {
      ok: false,
      status: 403,
      reason: `Missing role: ${operation.operationId} needs one of ${application.join(", ")} in roles (application); the token has ${claims.roles.join(", ") || "none"}.`,
    };
  }
  return { ok: false, status: 403, reason: "Either scp or roles claim need to be present in the token." };
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
