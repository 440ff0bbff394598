import { readFileSync } from "node:fs";
import { bundledSpecPath } from "../package-root.js";
import type { OpenApiDocument } from "./openapi-document.js";

let cached: OpenApiDocument | undefined;

/**
 * The bundled spec (generated/openapi.json): one self-contained document, read once per process.
 * Treat it as read-only; callers that need to change it must clone it.
 */
export function loadSpec(): OpenApiDocument {
  cached ??= JSON.parse(readFileSync(bundledSpecPath, "utf8")) as OpenApiDocument;
  return cached;
}
