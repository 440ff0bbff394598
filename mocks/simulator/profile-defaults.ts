import type { components } from "../../generated/types.js";
import type { ProfileResource } from "./store.js";

type Customization = components["schemas"]["EducationSynchronizationCustomization"];
type Customizations = components["schemas"]["EducationSynchronizationCustomizations"];
export type CreateRequest = components["schemas"]["EducationSynchronizationProfileCreate"];

/** The service's defaults, as the documentation's create response shows them. */
// Frozen: every profile that takes a default shares these lists.
const defaultOptionalProperties: Partial<Record<keyof Customizations, string[]>> = Object.freeze({
  teacher: Object.freeze([
    "State ID",
    "Teacher Number",
    "Status",
    "Middle Name",
    "Secondary Email",
    "Title",
    "Qualification",
  ]) as string[],
  studentEnrollment: Object.freeze([]) as unknown as string[],
  teacherRoster: Object.freeze([]) as unknown as string[],
});

/** Fills in a customization's defaults in place: keys it has keep their place, new ones go last, as the service's do. */
function withDefaults(customization: Customization, optional: string[]): Customization {
  // An explicit null means "sync every column" (reference §2.4); only a missing list gets the defaults.
  if (customization.optionalPropertiesToSync === undefined) customization.optionalPropertiesToSync = optional;
  customization.synchronizationStartDate ??= "0001-01-01T00:00:00Z";
  customization.isSyncDeferred ??= false;
  customization.allowDisplayNameUpdate ??= false;
  return customization;
}

/**
 * Fills in what the service adds to a new profile: the customizations the documentation's
 * response adds (teacher, studentEnrollment, teacherRoster) and, in every customization, the
 * start date `0001-01-01T00:00:00Z`, `isSyncDeferred: false` and `allowDisplayNameUpdate: false`.
 * Keys keep the documented order, so the documentation's request replayed gets its response back.
 * Takes ownership of `request` (a freshly parsed body): its objects become the stored profile's.
 */
export function applyServiceDefaults(request: CreateRequest): ProfileResource {
  const provider = { ...request.dataProvider };
  const given = (provider.customizations ?? {}) as Customizations;
  const customizations: Customizations = {};
  if (given["@odata.type"]) customizations["@odata.type"] = given["@odata.type"];
  for (const name of ["school", "section", "student", "teacher", "studentEnrollment", "teacherRoster"] as const) {
    const value = given[name];
    const fallback = defaultOptionalProperties[name];
    if (value) customizations[name] = withDefaults(value, fallback ?? []);
    else if (value === undefined && fallback) customizations[name] = withDefaults({}, fallback);
    else if (value === null) customizations[name] = null;
  }
  provider.customizations = customizations;

  const resource: ProfileResource = {
    displayName: request.displayName,
    dataProvider: provider,
    identitySynchronizationConfiguration: request.identitySynchronizationConfiguration,
  };
  if (request.licensesToAssign !== undefined) resource.licensesToAssign = request.licensesToAssign;
  if (request.expirationDate !== undefined) resource.expirationDate = request.expirationDate;
  if (request.handleSpecialCharacterConstraint !== undefined) {
    resource.handleSpecialCharacterConstraint = request.handleSpecialCharacterConstraint;
  }
  return resource;
}

/** CSV profiles need files and `start`; the API providers read their source themselves. */
export function isCsvProvider(resource: Pick<ProfileResource, "dataProvider">): boolean {
  return /csvdataprovider$/i.test(resource.dataProvider["@odata.type"]);
}
