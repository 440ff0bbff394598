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
