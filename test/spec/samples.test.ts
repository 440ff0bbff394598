import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { describe, expect, test } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import { deriveGenerationDocument, generatedVariantSuffix } from "../../src/spec/generation-spec.js";
import { locateSampleTarget, parseSampleKey, readSamples } from "../../src/spec/samples.js";
import { specValidators } from "../../src/validation/spec-validators.js";

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const document = specValidators().document;
const samples = readSamples(join(packageRoot, "spec", "samples.yaml"));

// Each target is a leaf schema (samples may not cross a $ref), so it validates on its own.
const ajv = new Ajv2020({ strict: false, allowUnionTypes: true });
addFormats(ajv);

describe("spec/samples.yaml", () => {
  test.each([...samples].map(([key, values]) => [key, values] as const))(
    "%s: every sample is valid for the property",
    (key, values) => {
      const target = structuredClone(locateSampleTarget(document.components.schemas, key));
      const validate = ajv.compile(target);
      for (const value of values)
        expect(validate(value), `${JSON.stringify(value)}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    },
  );

  test("keys read as schema and property path, @odata.* names included", () => {
    expect(parseSampleKey("EducationSynchronizationProfile.@odata.context")).toEqual({
      schema: "EducationSynchronizationProfile",
      path: [{ property: "@odata.context", items: false }],
    });
    expect(parseSampleKey("EducationPowerSchoolDataProvider.schoolsIds[]").path).toEqual([
      { property: "schoolsIds", items: true },
    ]);
    expect(() => locateSampleTarget(document.components.schemas, "EducationCsvDataProvider.customizations")).toThrow(
      /reaches a \$ref/,
    );
    expect(() => locateSampleTarget(document.components.schemas, "EducationSynchronizationProfile.nickname")).toThrow(
      /not a property/,
    );
  });
});

describe("the document Prism serves", () => {
  const prism = deriveGenerationDocument(document, samples);

  test("validates requests with the spec's own schemas", () => {
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of ["post", "put", "patch"] as const) {
        expect(prism.paths[path]?.[method]?.requestBody).toEqual(item[method]?.requestBody);
      }
    }
  });

  test("generates responses from sampled variants that stop enums before unknownFutureValue", () => {
    const status = prism.components.schemas[`EducationSynchronizationStatus${generatedVariantSuffix}`] as {
      enum: string[];
    };
    expect(status.enum).toEqual(["paused", "inProgress", "success", "error", "validationError", "quarantined"]);
    const profile = prism.components.schemas[`EducationSynchronizationProfile${generatedVariantSuffix}`] as {
      properties: Record<string, { enum?: unknown[]; $ref?: string }>;
    };
    expect(profile.properties.displayName?.enum).toEqual(samples.get("EducationSynchronizationProfile.displayName"));
    expect(profile.properties.dataProvider?.$ref).toBe(
      `#/components/schemas/EducationSynchronizationDataProvider${generatedVariantSuffix}`,
    );
    const media = prism.paths["/education/synchronizationProfiles/{id}"]?.get?.responses["200"] as unknown as {
      content: Record<string, { schema: { $ref: string }; examples: object }>;
    };
    // The profile read promises its state (decisions.md#guaranteed-fields): generated, never null.
    const withState = `EducationSynchronizationProfile${generatedVariantSuffix}WithState`;
    expect(media.content["application/json"]?.schema.$ref).toBe(`#/components/schemas/${withState}`);
    const guaranteed = prism.components.schemas[withState] as {
      required: string[];
      properties: Record<string, object>;
    };
    expect(guaranteed.required).toContain("state");
    expect(guaranteed.properties.state).toMatchObject({
      $ref: `#/components/schemas/EducationSynchronizationProfileState${generatedVariantSuffix}`,
    });
    expect(guaranteed.properties.state).not.toHaveProperty("oneOf");
    expect(Object.keys(media.content["application/json"]?.examples ?? {})).toContain("documented");
  });

  test("leaves the spec's schemas untouched", () => {
    expect((document.components.schemas.EducationSynchronizationStatus as { enum: string[] }).enum).toContain(
      "extracting",
    );
  });
});
