import type { Operation } from "../../generated/route-table.js";
import { malformedClaim, readClaims, type TokenClaims } from "../../src/auth/test-token.js";

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
  const malformed = malformedClaim(claims);
  if (malformed) return { ok: false, status: 401, reason: `Access token validation failure: ${malformed}.` };
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
