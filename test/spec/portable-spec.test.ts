import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { describe, expect, test } from "vitest";
import { derivePortableDocument } from "../../scripts/codegen/portable-spec.js";
import { packageRoot } from "../../src/package-root.js";
import type { HttpMethod, OpenApiDocument } from "../../src/spec/openapi-document.js";
import { listOperations } from "../../src/spec/spec-operations.js";

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const fullPath = join(packageRoot, "generated", "openapi.json");
const portablePath = join(packageRoot, "generated", "openapi.portable.json");
const readDocument = (path: string) => JSON.parse(readFileSync(path, "utf8")) as OpenApiDocument;
const full = readDocument(fullPath);
const portable = readDocument(portablePath);

type SchemaObject = Record<string, unknown>;
const schemaPrefix = "#/components/schemas/";
const schemaNamed = (document: OpenApiDocument, ref: string) =>
  document.components.schemas[ref.slice(schemaPrefix.length)] as SchemaObject;
const canonicalOf = (schema: SchemaObject) => {
  const property = (schema.properties as Record<string, SchemaObject> | undefined)?.["@odata.type"];
  return (property?.["x-sds-odata-type"] as { canonical: string } | undefined)?.canonical;
};

const pointerSegment = (segment: string) => segment.replace(/~/g, "~0").replace(/\//g, "~1");
const keyOfSegment = (segment: string) => segment.replace(/~1/g, "/").replace(/~0/g, "~");

/** Every value at `key` anywhere in the tree, outside examples and `x-` extensions, with its JSON pointer. */
function collect(root: unknown, key: string): { at: string; value: unknown }[] {
  const found: { at: string; value: unknown }[] = [];
  const walk = (node: unknown, at: string, underProperties: boolean): void => {
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) walk(item, `${at}/${index}`, false);
      return;
    }
    if (node === null || typeof node !== "object") return;
    for (const [childKey, child] of Object.entries(node)) {
      const skipped = childKey.startsWith("x-") || childKey === "example" || childKey === "examples";
      if (skipped && !underProperties) continue;
      const childAt = `${at}/${pointerSegment(childKey)}`;
      if (childKey === key && !underProperties) found.push({ at: childAt, value: child });
      walk(child, childAt, !underProperties && childKey === "properties");
    }
  };
  walk(root, "", false);
  return found;
}

/**
 * Where a document uses a boolean as a schema. `additionalProperties` and `unevaluatedProperties`
 * are left out: OpenAPI 3.0 and every JSON Schema draft since 04 define them as boolean-or-schema,
 * so the portable variant keeps them (portable-spec.ts).
 */
function booleanSchemas(document: OpenApiDocument): string[] {
  const single = ["schema", "items", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedItems"];
  const lists = ["allOf", "anyOf", "oneOf", "prefixItems"];
  const maps = ["properties", "patternProperties", "$defs", "dependentSchemas"];
  const found: string[] = [];
  for (const key of single) {
    for (const { at, value } of collect(document, key)) if (typeof value === "boolean") found.push(at);
  }
  for (const key of [...lists, ...maps]) {
    for (const { at, value } of collect(document, key)) {
      if (value === null || typeof value !== "object") continue;
      for (const [name, item] of Object.entries(value)) {
        if (typeof item === "boolean") found.push(`${at}/${pointerSegment(name)}`);
      }
    }
  }
  // Component schemas are schemas too.
  for (const [name, schema] of Object.entries(document.components.schemas)) {
    if (typeof schema === "boolean") found.push(`/components/schemas/${pointerSegment(name)}`);
  }
  return found.sort();
}

const pointer = (document: unknown, at: string): unknown =>
  at
    .split("/")
    .slice(1)
    .reduce<unknown>(
      (node, segment) => (node as Record<string, unknown> | undefined)?.[keyOfSegment(segment)],
      document,
    );

describe("generated/openapi.portable.json", () => {
  // generate:check holds generated/openapi.json to the spec; this holds the portable file to it.
  test("is derivePortableDocument of the committed openapi.json, with the same notice", () => {
    const { "x-generated": notice, ...bundled } = full;
    const derived = { "x-generated": notice, ...derivePortableDocument(bundled as OpenApiDocument) };
    expect(portable).toEqual(derived);
    // Byte for byte too: the same key order and layout `npm run generate` writes.
    expect(readFileSync(portablePath, "utf8") === `${JSON.stringify(derived, null, 2)}\n`).toBe(true);
  });

  test("describes the same paths, operations, statuses and schema names as the full spec", () => {
    const surface = (document: OpenApiDocument) => ({
      operations: listOperations(document).map((op) => ({
        route: `${op.method.toUpperCase()} ${op.path}`,
        operationId: op.operationId,
        statuses: Object.keys(op.responses),
        parameters: op.parameters.map((p) => `${p.in}:${p.name}`),
        requestBody: op.requestBody !== undefined,
      })),
      schemas: Object.keys(document.components.schemas),
    });
    expect(surface(portable)).toEqual(surface(full));
    expect(surface(portable).operations.length).toBeGreaterThan(0);
  });

  test("says it is the portable variant and names the full one", () => {
    expect(portable.info.description).toMatch(/portable variant[\s\S]*generated\/openapi\.json/);
    expect(full.info.description).not.toMatch(/portable variant/);
  });
});

describe("portable discriminators", () => {
  const discriminated = collect(portable.components.schemas, "discriminator").map(({ at, value }) => ({
    at,
    mapping: (value as { mapping?: Record<string, string> }).mapping ?? {},
  }));

  test("there are discriminators to check, and the full spec maps several spellings to one branch", () => {
    expect(discriminated.length).toBeGreaterThan(0);
    const fullMappings = collect(full.components.schemas, "discriminator").map(
      ({ value }) => (value as { mapping: Record<string, string> }).mapping,
    );
    expect(fullMappings.some((mapping) => Object.keys(mapping).length > new Set(Object.values(mapping)).size)).toBe(
      true,
    );
  });

  test("each mapping has exactly one key per target, the target's canonical spelling", () => {
    for (const { at, mapping } of discriminated) {
      const targets = Object.values(mapping);
      expect(new Set(targets).size, at).toBe(targets.length);
      for (const [key, target] of Object.entries(mapping)) {
        expect(key, `${at} -> ${target}`).toBe(canonicalOf(schemaNamed(portable, target)));
      }
    }
  });

  test("each mapping still reaches every branch of its oneOf", () => {
    for (const { at, mapping } of discriminated) {
      const owner = pointer(portable.components.schemas, at.replace(/\/discriminator$/, "")) as SchemaObject;
      const branches = (owner.oneOf as { $ref: string }[]).map((branch) => branch.$ref);
      expect(Object.values(mapping).sort(), at).toEqual(branches.sort());
    }
  });
});

describe("portable schemas", () => {
  test("use no boolean schema, where the full spec does", () => {
    const inFull = booleanSchemas(full);
    expect(inFull.length).toBeGreaterThan(0);
    expect(booleanSchemas(portable)).toEqual([]);
    // The same verdict: a property that is never sent is left out of its closed object, and any
    // other `false` ("never") is written `{ not: {} }` where it stood.
    for (const at of inFull) {
      const owner = pointer(full, at.replace(/\/properties\/[^/]+$/, "")) as SchemaObject | undefined;
      const droppedProperty =
        pointer(full, at) === false && /\/properties\/[^/]+$/.test(at) && owner?.additionalProperties === false;
      const want = droppedProperty ? undefined : pointer(full, at) === false ? { not: {} } : {};
      expect(pointer(portable, at), at).toEqual(want);
    }
  });

  // A tool that makes positive requests from a schema's properties (Specmatic) sent `{ not: {} }`
  // properties, which the servers refuse: a create or update request schema must not list them.
  test.each(["EducationSynchronizationProfileCreate", "EducationSynchronizationProfileUpdate"])(
    "%s lists no property a request may never send, and still refuses one",
    (name) => {
      const schema = portable.components.schemas[name] as SchemaObject;
      const properties = Object.keys(schema.properties as SchemaObject);
      expect(properties).toContain("displayName");
      expect(properties.filter((property) => property === "id" || property === "state")).toEqual([]);
      expect(schema.additionalProperties).toBe(false);
      expect((full.components.schemas[name] as { properties: SchemaObject }).properties.id).toBe(false);
    },
  );
});

describe("portable examples", () => {
  // The portable document as it stands: its own patterns and mappings, no normalization.
  const portableId = "urn:sds-contract-kit:openapi.portable";
  const extensionKeywords = new Set<string>();
  const gatherExtensions = (node: unknown): void => {
    if (node === null || typeof node !== "object") return;
    for (const [key, child] of Object.entries(node)) {
      if (key.startsWith("x-")) extensionKeywords.add(key);
      else gatherExtensions(child);
    }
  };
  gatherExtensions(portable.components.schemas);
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  // Ajv's discriminator support needs an enum or const per branch; the portable spec keeps patterns,
  // so `oneOf` alone picks the branch and `discriminator` is an annotation here.
  ajv.addVocabulary(["discriminator", "example", "components", ...extensionKeywords]);
  ajv.addSchema({ $id: portableId, components: { schemas: portable.components.schemas } });
  const absolute = (schema: unknown): unknown =>
    JSON.parse(JSON.stringify(schema), (key, value) =>
      key === "$ref" && typeof value === "string" && value.startsWith("#") ? `${portableId}${value}` : value,
    );
  const compiled = new Map<string, ValidateFunction>();
  const validatorFor = (schema: unknown) => {
    const key = JSON.stringify(schema);
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(absolute(schema) as object);
      compiled.set(key, validate);
    }
    return validate;
  };

  type Case = [name: string, { schema: unknown; value: unknown }];
  const cases: Case[] = listOperations(portable).flatMap((op) => {
    const bodies: [string, (typeof op.responses)[string]["content"]][] = [
      ["request", op.requestBody?.content],
      ...Object.entries(op.responses).map(([status, response]): [string, typeof response.content] => [
        status,
        response.content,
      ]),
    ];
    return bodies.flatMap(([where, content]) => {
      const media = content?.["application/json"];
      return Object.entries(media?.examples ?? {}).map(
        ([name, example]): Case => [
          `${op.operationId} > ${where} example '${name}'`,
          { schema: media?.schema, value: (example as { value: unknown }).value },
        ],
      );
    });
  });

  test("there are request and response examples to check", () => {
    expect(cases.some(([name]) => name.includes("> request example"))).toBe(true);
    expect(cases.some(([name]) => name.includes("> 200 example"))).toBe(true);
  });

  test("the validator tells the branches apart: a data provider typed as connection settings is refused", () => {
    const [, create] = cases.find(([name]) => name === "createSynchronizationProfile > request example 'gen-b'") ?? [];
    if (!create) throw new Error("the create request example 'gen-b' is missing");
    const value = structuredClone(create.value) as { dataProvider: Record<string, unknown> };
    value.dataProvider["@odata.type"] = "#microsoft.graph.educationSynchronizationOAuth1ConnectionSettings";
    expect(validatorFor(create.schema)(value)).toBe(false);
  });

  test.each(cases)("%s validates against its schema", (_name, { schema, value }) => {
    const validate = validatorFor(schema);
    expect(validate(value), ajv.errorsText(validate.errors)).toBe(true);
  });

  const aliases: [
    string,
    { path: string; method: HttpMethod; where: string; name: string; at: string; full: string; portable: string },
  ][] = [
    [
      "create > request 'gen-b-2019' > dataProvider",
      {
        path: "/education/synchronizationProfiles",
        method: "post",
        where: "request",
        name: "gen-b-2019",
        at: "/dataProvider/@odata.type",
        full: "#Microsoft.Education.DataSync.educationCsvDataProvider",
        portable: "#microsoft.graph.educationCsvDataProvider",
      },
    ],
    [
      "create > request 'gen-b-2019' > identitySynchronizationConfiguration",
      {
        path: "/education/synchronizationProfiles",
        method: "post",
        where: "request",
        name: "gen-b-2019",
        at: "/identitySynchronizationConfiguration/@odata.type",
        full: "#Microsoft.Education.DataSync.educationIdentityCreationConfiguration",
        portable: "#microsoft.graph.educationIdentityCreationConfiguration",
      },
    ],
    [
      "replace > request 'documented' > dataProvider (no '#', lower case)",
      {
        path: "/education/synchronizationProfiles",
        method: "put",
        where: "request",
        name: "documented",
        at: "/dataProvider/@odata.type",
        full: "microsoft.graph.educationcsvdataprovider",
        portable: "#microsoft.graph.educationCsvDataProvider",
      },
    ],
    [
      "get > 200 'documented' > licensesToAssign item (nested in an array)",
      {
        path: "/education/synchronizationProfiles/{id}",
        method: "get",
        where: "200",
        name: "documented",
        at: "/licensesToAssign/0/@odata.type",
        full: "microsoft.graph.educationSynchronizationLicenseAssignment",
        portable: "#microsoft.graph.educationSynchronizationLicenseAssignment",
      },
    ],
  ];

  test.each(aliases)("%s: an alias in the full spec is the canonical spelling here", (_name, want) => {
    expect(pointer(exampleValue(full, want.path, want.method, want.where, want.name), want.at)).toBe(want.full);
    expect(pointer(exampleValue(portable, want.path, want.method, want.where, want.name), want.at)).toBe(want.portable);
  });
});

describe("derivePortableDocument", () => {
  const { "x-generated": _notice, ...bundled } = full;

  test("leaves its input unchanged", () => {
    const input = structuredClone(bundled) as OpenApiDocument;
    derivePortableDocument(input);
    expect(input).toEqual(bundled);
  });

  test("refuses an example naming a type no schema lists (the abstract one), naming the example", () => {
    const input = structuredClone(bundled) as OpenApiDocument;
    const value = exampleValue(input, "/education/synchronizationProfiles", "post", "request", "gen-b-2019") as {
      identitySynchronizationConfiguration: SchemaObject;
    };
    value.identitySynchronizationConfiguration["@odata.type"] =
      "#microsoft.graph.educationIdentitySynchronizationConfiguration";
    expect(() => derivePortableDocument(input)).toThrow(
      /'gen-b-2019'.*POST \/education\/synchronizationProfiles.*educationIdentitySynchronizationConfiguration/,
    );
  });
});

/** A named example's value: `where` is `request` or a status. */
function exampleValue(
  document: OpenApiDocument,
  path: string,
  method: HttpMethod,
  where: string,
  name: string,
): unknown {
  type Content = { content?: Record<string, { examples?: Record<string, { value?: unknown }> }> };
  const operation = document.paths[path]?.[method];
  const body = (where === "request" ? operation?.requestBody : operation?.responses[where]) as Content | undefined;
  return body?.content?.["application/json"]?.examples?.[name]?.value;
}
