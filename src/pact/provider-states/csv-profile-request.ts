import type { components } from "../../../generated/types.js";

/** The smallest valid create request for a CSV profile: what the consumer sends and the states seed. */
export const csvProfileRequest: components["schemas"]["EducationSynchronizationProfileCreate"] = {
  displayName: "Test Profile",
  dataProvider: { "@odata.type": "#microsoft.graph.educationCsvDataProvider" },
  identitySynchronizationConfiguration: {
    "@odata.type": "#microsoft.graph.educationIdentityCreationConfiguration",
    userDomains: [{ appliesTo: "student", name: "testschool.edu" }],
  },
};

/** A PowerSchool profile's create request: an API provider, which syncs by itself and has no CSV operations. */
export const powerSchoolProfileRequest: components["schemas"]["EducationSynchronizationProfileCreate"] = {
  displayName: "Test Profile",
  dataProvider: {
    "@odata.type": "#microsoft.graph.educationPowerSchoolDataProvider",
    connectionUrl: "https://powerschool.contoso.edu",
    clientId: "8d2b3e1f-7a4c-4b8e-9f11-2c6d5e4a3b21",
  },
  identitySynchronizationConfiguration: csvProfileRequest.identitySynchronizationConfiguration,
};

/** A OneRoster profile's create request. */
export const oneRosterProfileRequest: components["schemas"]["EducationSynchronizationProfileCreate"] = {
  displayName: "Test Profile",
  dataProvider: {
    "@odata.type": "#microsoft.graph.educationOneRosterApiDataProvider",
    connectionUrl: "https://oneroster.contoso.edu/ims/oneroster/v1p1",
    connectionSettings: {
      "@odata.type": "#microsoft.graph.educationSynchronizationOAuth1ConnectionSettings",
      clientId: "sds-sync-client",
    },
  },
  identitySynchronizationConfiguration: csvProfileRequest.identitySynchronizationConfiguration,
};
