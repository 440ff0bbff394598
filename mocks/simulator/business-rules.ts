import type { CreateRequest } from "./profile-defaults.js";

/**
 * The rules a create or update must keep that JSON Schema cannot state; the spec names each one
 * with its source (`x-sds-rules` on `expirationDate`). The broken rule, in words, or undefined.
 */
export function businessRuleViolation(request: Partial<CreateRequest>, now: number): string | undefined {
  if (request.expirationDate) {
    const limit = new Date(now);
    limit.setUTCMonth(limit.getUTCMonth() + 18);
    const expires = Date.parse(`${request.expirationDate}T00:00:00Z`);
    if (expires > limit.getTime()) return `expirationDate ${request.expirationDate} is more than 18 months ahead`;
    if (expires < now - 86_400_000) return `expirationDate ${request.expirationDate} is in the past`;
  }
  return undefined;
}
