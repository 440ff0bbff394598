import { createRequire } from "node:module";

const kitRequire = createRequire(import.meta.url);

/**
 * A package the kit needs only when a function is called, loaded (by `require`, which keeps the
 * caller synchronous) on that first call instead of when the kit is imported. For packages with a
 * CommonJS build: the CSV parser and writer and the YAML reader, which together are about a third of
 * the main entry's import time when loaded up front.
 */
export function loadOnFirstUse<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= kitRequire(specifier) as T;
    return loaded;
  };
}
