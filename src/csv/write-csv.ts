import { loadOnFirstUse } from "../parts/load-on-first-use.js";

const csvStringify = loadOnFirstUse<typeof import("csv-stringify/sync")>("csv-stringify/sync");

/** CRLF records, as Microsoft's samples; a value holding a lone CR or LF is quoted too, not only one holding CRLF. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return csvStringify().stringify(rows as string[][], { record_delimiter: "\r\n", quoted_match: /[\r\n]/ });
}
