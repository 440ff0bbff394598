import fc from "fast-check";
import { acceptedSpellings, type OdataTypeSpellings, odataTypeKeyword } from "../../src/spec/odata-types.js";
import type { JsonSchema, OpenApiDocument } from "../../src/spec/openapi-document.js";

type Node = Record<string, unknown>;

export interface SchemaArbitraryOptions {
  /**
   * The values to draw for a property with rules JSON Schema cannot state (`x-sds-rules`, such as
   * an expiration date within 18 months): the spec names the rule, so the test supplies the values.
   */
  ruled: (property: string, schema: Node) => fc.Arbitrary<unknown>;
}

/**
 * A fast-check arbitrary for every value a request schema of the spec admits: each branch of a
 * `oneOf`, each `@odata.type` spelling the spec lists in any letter case and with or without `#`,
 * nulls where a type allows them, optional properties present or not. Covers the keywords the
 * request schemas use, and throws on any other, so a new keyword cannot be silently ignored.
 */
export function schemaArbitrary(
  document: OpenApiDocument,
  schema: JsonSchema,
  options: SchemaArbitraryOptions,
): fc.Arbitrary<unknown> {
  const build = (raw: JsonSchema, property: string): fc.Arbitrary<unknown> => {
    if (raw === true) return fc.jsonValue();
    if (raw === false) throw new Error(`no value satisfies the false schema of '${property}'`);
    const node = resolve(document, raw);
    if (Array.isArray(node["x-sds-rules"])) return options.ruled(property, node);
    if (Array.isArray(node.oneOf))
      return fc.oneof(...node.oneOf.map((branch) => build(branch as JsonSchema, property)));
    if (Array.isArray(node.enum)) return fc.constantFrom(...node.enum);
    if (node.const !== undefined) return fc.constant(node.const);
    const types = Array.isArray(node.type) ? (node.type as string[]) : [node.type as string];
    return fc.oneof(...types.map((type) => ofType(node, type, property)));
  };

  const ofType = (node: Node, type: string, property: string): fc.Arbitrary<unknown> => {
    switch (type) {
      case "null":
        return fc.constant(null);
      case "boolean":
        return fc.boolean();
      case "integer":
        return fc.integer();
      case "string":
        return stringOf(node);
      case "array":
        return fc.array(build(node.items as JsonSchema, property), { maxLength: 3 });
      case "object":
        return objectOf(node);
      default:
        throw new Error(`schemaArbitrary does not know type ${JSON.stringify(type)} (property '${property}')`);
    }
  };

  const objectOf = (node: Node): fc.Arbitrary<unknown> => {
    const properties = Object.entries((node.properties ?? {}) as Record<string, JsonSchema>).filter(
      ([, property]) => property !== false,
    );
    const required = new Set((node.required ?? []) as string[]);
    const model = Object.fromEntries(properties.map(([name, property]) => [name, build(property, name)]));
    const record = fc.record(model, { requiredKeys: properties.map(([name]) => name).filter((n) => required.has(n)) });
    const minProperties = typeof node.minProperties === "number" ? node.minProperties : 0;
    return minProperties > 0 ? record.filter((value) => Object.keys(value).length >= minProperties) : record;
  };

  const stringOf = (node: Node): fc.Arbitrary<string> => {
    const spellings = node[odataTypeKeyword] as OdataTypeSpellings | undefined;
    if (spellings) return odataTypeSpelling(spellings);
    if (node.pattern !== undefined) throw new Error(`schemaArbitrary cannot draw from pattern ${String(node.pattern)}`);
    switch (node.format) {
      case "uuid":
        return fc.uuid();
      case "date":
      case "date-time": {
        const date = fc.date({
          min: new Date("1900-01-01T00:00:00Z"),
          max: new Date("2100-12-31T00:00:00Z"),
          noInvalidDate: true,
        });
        return date.map((d) => (node.format === "date" ? d.toISOString().slice(0, 10) : d.toISOString()));
      }
      case undefined:
        return fc.string({ minLength: typeof node.minLength === "number" ? node.minLength : 0, maxLength: 40 });
      default:
        throw new Error(`schemaArbitrary does not know format ${String(node.format)}`);
    }
  };

  return build(schema, "");
}

/** One of the spellings the service takes for a type (not those it refused), in a random letter case, with or without `#`. */
function odataTypeSpelling(spellings: OdataTypeSpellings): fc.Arbitrary<string> {
  const bare = [...new Set(acceptedSpellings(spellings).map((s) => s.replace(/^#/, "")))];
  const anyCase = fc
    .tuple(fc.constantFrom(...bare), fc.boolean(), fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }))
    .map(
      ([spelling, hash, upper]) =>
        `${hash ? "#" : ""}${[...spelling].map((c, i) => (upper[i % upper.length] ? c.toUpperCase() : c.toLowerCase())).join("")}`,
    );
  return fc.oneof(fc.constantFrom(...acceptedSpellings(spellings)), anyCase);
}

function resolve(document: OpenApiDocument, raw: JsonSchema): Node {
  let node = raw as Node;
  while (typeof node.$ref === "string") {
    const name = node.$ref.replace("#/components/schemas/", "");
    const target = document.components.schemas[name];
    if (target === undefined || typeof target === "boolean") throw new Error(`unresolvable ${node.$ref}`);
    node = target;
  }
  return node;
}
