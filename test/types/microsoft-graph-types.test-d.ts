import type * as Graph from "@microsoft/microsoft-graph-types-beta";
import { describe, expectTypeOf, test } from "vitest";
import type { components } from "../../generated/types.js";

// Microsoft's published TypeScript types for these entities (@microsoft/microsoft-graph-types-beta
// 0.43.0-preview, the last version that has them): a value of the kit's response types must be a
// value of Microsoft's, so the spec promises nothing their model does not allow
// (decisions.md#nullability).
type Schemas = components["schemas"];

describe("the generated response types are Microsoft's published types", () => {
  test("educationSynchronizationProfile", () => {
    expectTypeOf<Schemas["EducationSynchronizationProfile"]>().toExtend<Graph.EducationSynchronizationProfile>();
  });

  test("educationSynchronizationProfileStatus", () => {
    expectTypeOf<
      Schemas["EducationSynchronizationProfileStatus"]
    >().toExtend<Graph.EducationSynchronizationProfileStatus>();
  });

  test("educationSynchronizationError", () => {
    expectTypeOf<Schemas["EducationSynchronizationError"]>().toExtend<Graph.EducationSynchronizationError>();
  });

  test("educationFileSynchronizationVerificationMessage", () => {
    expectTypeOf<
      Schemas["EducationFileSynchronizationVerificationMessage"]
    >().toExtend<Graph.EducationFileSynchronizationVerificationMessage>();
  });

  test("the data providers and their connection settings", () => {
    expectTypeOf<Schemas["EducationCsvDataProvider"]>().toExtend<Graph.EducationCsvDataProvider>();
    expectTypeOf<Schemas["EducationPowerSchoolDataProvider"]>().toExtend<Graph.EducationPowerSchoolDataProvider>();
    expectTypeOf<Schemas["EducationOneRosterApiDataProvider"]>().toExtend<Graph.EducationOneRosterApiDataProvider>();
    expectTypeOf<
      Schemas["EducationSynchronizationOAuth1ConnectionSettings"]
    >().toExtend<Graph.EducationSynchronizationOAuth1ConnectionSettings>();
    expectTypeOf<
      Schemas["EducationSynchronizationOAuth2ClientCredentialsConnectionSettings"]
    >().toExtend<Graph.EducationSynchronizationOAuth2ClientCredentialsConnectionSettings>();
  });

  test("customizations, identity configuration and licences", () => {
    expectTypeOf<
      Schemas["EducationSynchronizationCustomizations"]
    >().toExtend<Graph.EducationSynchronizationCustomizations>();
    expectTypeOf<
      Schemas["EducationSynchronizationCustomization"]
    >().toExtend<Graph.EducationSynchronizationCustomization>();
    expectTypeOf<
      Schemas["EducationIdentityCreationConfiguration"]
    >().toExtend<Graph.EducationIdentityCreationConfiguration>();
    expectTypeOf<
      Schemas["EducationIdentityMatchingConfiguration"]
    >().toExtend<Graph.EducationIdentityMatchingConfiguration>();
    expectTypeOf<Schemas["EducationIdentityDomain"]>().toExtend<Graph.EducationIdentityDomain>();
    expectTypeOf<Schemas["EducationIdentityMatchingOptions"]>().toExtend<Graph.EducationIdentityMatchingOptions>();
    expectTypeOf<
      Schemas["EducationSynchronizationLicenseAssignment"]
    >().toExtend<Graph.EducationSynchronizationLicenseAssignment>();
  });

  test("the enums", () => {
    expectTypeOf<
      Schemas["EducationSynchronizationProfileState"]
    >().toEqualTypeOf<Graph.EducationSynchronizationProfileState>();
    expectTypeOf<Schemas["EducationSynchronizationStatus"]>().toEqualTypeOf<Graph.EducationSynchronizationStatus>();
    expectTypeOf<Schemas["EducationUserRole"]>().toEqualTypeOf<Graph.EducationUserRole>();
  });

  test("the check can fail: a nullable errorCount, or a status that is a number, is not Microsoft's", () => {
    type NullableCount = Omit<Schemas["EducationSynchronizationProfileStatus"], "errorCount"> & {
      errorCount?: number | null;
    };
    expectTypeOf<NullableCount>().not.toExtend<Graph.EducationSynchronizationProfileStatus>();
    type NumericStatus = Omit<Schemas["EducationSynchronizationProfileStatus"], "status"> & { status?: number };
    expectTypeOf<NumericStatus>().not.toExtend<Graph.EducationSynchronizationProfileStatus>();
  });
});
