import type { CreateRequest } from "./profile-defaults.js";

type RoleHolder = { appliesTo: string };

/**
 * The rules a create or update must keep that the schemas cannot state; the broken rule, in
 * words, or undefined.
 */
export function businessRuleViolation(request: Partial<CreateRequest>, now: number): string | undefined {
  const identity = request.identitySynchronizationConfiguration as
    | { userDomains?: RoleHolder[]; matchingOptions?: RoleHolder[] }
    | undefined;
  const roles = [
    ...(identity?.userDomains ?? []),
    ...(identity?.matchingOptions ?? []),
    ...(request.licensesToAssign ?? []),
  ].map((item) => item.appliesTo);
  if (roles.includes("unknownFutureValue")) {
    return "appliesTo 'unknownFutureValue' is the evolvable-enum sentinel, not a role; use student, teacher, faculty or none";
  }
  if (request.expirationDate) {
    const limit = new Date(now);
    limit.setUTCMonth(limit.getUTCMonth() + 18);
    const expires = Date.parse(`${request.expirationDate}T00:00:00Z`);
    if (expires > limit.getTime()) return `expirationDate ${request.expirationDate} is more than 18 months ahead`;
    if (expires < now - 86_400_000) return `expirationDate ${request.expirationDate} is in the past`;
  }
  return undefined;
}
