// Spectral function: every 4xx/5xx response of an operation uses the Graph error envelope,
// directly or as one branch of a oneOf, and every 429 declares a Retry-After header.
const errorSchemaRef = "#/components/schemas/GraphError";

function resolve(document, node) {
  let current = node;
  for (let hops = 0; current && typeof current.$ref === "string" && hops < 10; hops += 1) {
    if (!current.$ref.startsWith("#/")) return current;
    current = current.$ref
      .slice(2)
      .split("/")
      .reduce((value, key) => (value == null ? value : value[key.replace(/~1/g, "/").replace(/~0/g, "~")]), document);
  }
  return current;
}

function offersGraphError(schema) {
  if (!schema) return false;
  if (schema.$ref === errorSchemaRef) return true;
  return Array.isArray(schema.oneOf) && schema.oneOf.some((branch) => branch && branch.$ref === errorSchemaRef);
}

export default function graphErrorResponses(operation, _options, context) {
  const document = context.document.data;
  const results = [];
  for (const [status, raw] of Object.entries(operation.responses ?? {})) {
    if (!/^[45]/.test(status)) continue;
    const response = resolve(document, raw);
    const schema = response?.content?.["application/json"]?.schema;
    if (!offersGraphError(schema)) {
      results.push({
        message: `${status} response must use the Graph error envelope (${errorSchemaRef})`,
        path: [...context.path, "responses", status],
      });
    }
    if (status === "429" && !response?.headers?.["Retry-After"]) {
      results.push({
        message: "429 response must declare a Retry-After header",
        path: [...context.path, "responses", status],
      });
    }
  }
  return results;
}
