import fc from "fast-check";
import { operations } from "../../generated/route-table.js";
import { createTestToken } from "../../src/auth/test-token.js";
import { generateFixtures, generateInvalidFixtures } from "../../src/fixtures/generate-fixtures.js";
import { defaultMaxBodyBytes } from "../../src/graph/request-checks.js";
import {
  csvProfileRequest,
  oneRosterProfileRequest,
  powerSchoolProfileRequest,
} from "../../src/pact/provider-states/csv-profile-request.js";

/**
 * Requests a careless or hostile client could send, as fast-check arbitraries, each labelled with
 * its category: valid fixtures, the negative fixtures, and mutations (random JSON, wrong types,
 * huge strings, deep nesting, unicode and control characters, duplicate keys, content types,
 * truncated bodies, odd methods and paths, hostile queries, bad tokens, the simulator's own
 * headers, the admin API). Where the documentation pins the answer, the request says what it must
 * be (`want`); otherwise only the properties every answer keeps apply (test/support/judge-answer.ts).
 */

export const fuzzCategories = [
  "valid",
  "invalid-fixture",
  "random-json",
  "wrong-type",
  "huge-string",
  "deep-nesting",
  "unicode",
  "duplicate-keys",
  "content-type",
  "truncated",
  "method-path",
  "query",
  "token",
  "headers",
  "admin",
] as const;
export type FuzzCategory = (typeof fuzzCategories)[number];

/** A profile the run creates before the fuzzed request, so that `{existing}` names one in some state. */
export interface ProfileSetup {
  provider: "csv" | "powerSchool" | "oneRoster";
  scenario: string | undefined;
  advanceMs: number;
  action: "nothing" | "start" | "pause" | "delete";
  afterActionMs: number;
}

/** What the answer must be, where the documentation pins it; `why` says which rule. */
export interface Want {
  statuses: number[];
  code?: string;
  why: string;
  /**
   * The rule is the simulator's alone: it keeps profiles and checks a token's claims, where the
   * Prism mock is stateless and takes any bearer token (mocks/prism/README.md).
   */
  simulatorOnly?: true;
}

const simulatorOnly = (want: Want | undefined): Want | undefined => want && { ...want, simulatorOnly: true };

export interface HostileRequest {
  category: FuzzCategory;
  method: string;
  /** Path and query, wire-safe (printable ASCII); `{existing}` is replaced by the setup profile's id. */
  target: string;
  /** Lower-case names; values are latin-1 without control characters (what a client library will send). */
  headers: Record<string, string>;
  /** A string may contain `{existing}` too, and `__HUGE__` where `huge` goes. */
  body: string | Uint8Array | undefined;
  /** A long string, built only when the request is sent: generating thousands of requests stays cheap. */
  huge: { unit: string; repeat: number } | undefined;
  setup: ProfileSetup | undefined;
  want: Want | undefined;
  /** After an admin request: ask the API again, to see the simulator is still whole. */
  followUp: boolean;
}

export const existing = "{existing}";
/** Where a request's `huge` string goes in its body. */
export const hugePlaceholder = "__HUGE__";
/** A GUID no run creates: the simulator's ids come from its seeded random. */
export const unknownId = "0f0e0d0c-0b0a-4909-8807-060504030201";
export const profilesPath = "/beta/education/synchronizationProfiles";
export const fuzzTenant = "tenant-fuzz";
export const readWriteToken = createTestToken({ scopes: ["EduAdministration.ReadWrite"], tid: fuzzTenant });
const bearer = { authorization: `Bearer ${readWriteToken}` };
const json = { "content-type": "application/json" };

/** Percent-encodes every byte of the string's UTF-8 but the unreserved characters (a lone surrogate too). */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, "utf8")]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    })
    .join("");
}

/** Bodies longer than this are shown by their length and ends in a counterexample. */
const shown = 160;
function abbreviate(text: string): string {
  return text.length <= shown ? text : `${text.slice(0, shown / 2)}…(${text.length} chars)…${text.slice(-shown / 4)}`;
}

/** A counterexample fast-check can print in a few lines, whatever the size of its body. */
export function describeRequest(request: HostileRequest): string {
  const huge = request.huge
    ? ` with ${hugePlaceholder} = ${JSON.stringify(request.huge.unit)} × ${request.huge.repeat}`
    : "";
  const body =
    request.body === undefined
      ? "no body"
      : typeof request.body === "string"
        ? `body ${JSON.stringify(abbreviate(request.body))}`
        : `body bytes [${abbreviate(Buffer.from(request.body).toString("hex"))}]`;
  const headers = Object.entries(request.headers)
    .map(([name, value]) => `${name}: ${abbreviate(value)}`)
    .join("; ");
  const setup = request.setup
    ? ` after setup ${request.setup.provider}${request.setup.scenario ? ` [${request.setup.scenario}]` : ""} +${request.setup.advanceMs}ms ${request.setup.action} +${request.setup.afterActionMs}ms`
    : "";
  const want = request.want
    ? ` want ${request.want.statuses.join("|")}${request.want.code ? ` ${request.want.code}` : ""} (${request.want.why})`
    : "";
  return `[${request.category}] ${request.method} ${abbreviate(request.target)} {${headers}} ${body}${huge}${setup}${want}${request.followUp ? " then follow-up" : ""}`;
}

const described = (request: HostileRequest): HostileRequest =>
  Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) });

export function request(
  category: FuzzCategory,
  fields: Partial<Omit<HostileRequest, "category">> & Pick<HostileRequest, "method" | "target">,
): HostileRequest {
  return described({
    category,
    headers: { ...bearer },
    body: undefined,
    setup: undefined,
    want: undefined,
    huge: undefined,
    followUp: false,
    ...fields,
  });
}

// ---------------------------------------------------------------- building blocks

const bodyOperations = [
  "createSynchronizationProfile",
  "replaceSynchronizationProfile",
  "updateSynchronizationProfile",
];

interface Pools {
  valid: Record<string, Record<string, unknown>[]>;
  invalid: { operationId: string; payload: unknown; rule: string; path: string }[];
}

let pools: Pools | undefined;
/** Fixtures drawn once per process from the fuzz seed: generating them is the slow part. */
function fixturePools(seed: number): Pools {
  pools ??= {
    valid: Object.fromEntries(
      bodyOperations.map((operationId) => [
        operationId,
        generateFixtures(operationId, { seed, count: 20 }) as Record<string, unknown>[],
      ]),
    ),
    invalid: bodyOperations.flatMap((operationId) =>
      [seed, seed + 1].flatMap((s) =>
        generateInvalidFixtures(operationId, { seed: s }).map((fixture) => ({
          operationId,
          payload: fixture.payload,
          rule: fixture.rule,
          path: fixture.path,
        })),
      ),
    ),
  };
  return pools;
}

const methodOf: Record<string, string> = {
  createSynchronizationProfile: "POST",
  replaceSynchronizationProfile: "PUT",
  updateSynchronizationProfile: "PATCH",
};
const targetOf = (operationId: string, id: string) =>
  operationId === "updateSynchronizationProfile" ? `${profilesPath}/${id}` : profilesPath;
/** PUT on the collection names the profile in its body. */
const withId = (operationId: string, payload: unknown, id: string): unknown =>
  operationId === "replaceSynchronizationProfile" && payload !== null && typeof payload === "object"
    ? { ...(payload as object), id }
    : payload;

const setupArbitrary: fc.Arbitrary<ProfileSetup> = fc.record({
  provider: fc.constantFrom("csv", "csv", "powerSchool", "oneRoster"),
  scenario: fc.option(
    fc.constantFrom(
      "provisioning-failed",
      "verification-errors",
      "verification-warnings",
      "sync-error:2",
      "sync-validation-error:3",
      "sync-quarantined:1",
      "deletion-failed",
    ),
    { nil: undefined },
  ),
  advanceMs: fc.oneof(fc.constantFrom(0, 2000), fc.integer({ min: 0, max: 12_000 })),
  action: fc.constantFrom("nothing", "nothing", "start", "pause", "delete"),
  afterActionMs: fc.integer({ min: 0, max: 8000 }),
});

/** The id a request aims at: the setup's profile, or one that does not exist. */
const idArbitrary = fc.oneof(
  { weight: 4, arbitrary: fc.constant(existing) },
  { weight: 1, arbitrary: fc.constant(unknownId) },
);

/** Characters a client library will put in a header value: latin-1, no control character but tab. */
const headerChar = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
  fc.integer({ min: 0xa0, max: 0xff }).map((code) => String.fromCharCode(code)),
  fc.constant("\t"),
);
const headerValue = fc.string({ unit: headerChar, maxLength: 40 });

/** Strings that have broken servers before: unicode edge cases, control characters, markup, tokens. */
const nastyString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), maxLength: 8 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "\ud800",
    "\udfff",
    "\ufeff",
    "\u202e\u0644\u0627",
    "e\u0301\u0301\u0301",
    "😀👩‍👩‍👧",
    "𝕏",
    "[sds:provisioning-failed]",
    "[sds:explode]",
    "[sds:sync-error:99999]",
    "' or '1'='1",
    "<script>alert(1)</script>",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a log-injection payload, sent as it is
    "${jndi:ldap://x}",
    "%00%zz",
    "../../etc/passwd",
    "__proto__",
    "constructor",
  ),
);

/** One valid create body, from the fixtures or the kit's own requests. */
const validCreate = (seed: number) =>
  fc.oneof(
    fc.constantFrom(...(fixturePools(seed).valid.createSynchronizationProfile ?? [])),
    fc.constantFrom(csvProfileRequest, powerSchoolProfileRequest, oneRosterProfileRequest) as fc.Arbitrary<
      Record<string, unknown>
    >,
  );

/** Every JSON Pointer into a value, the root included. */
function pointers(value: unknown, at = ""): string[] {
  if (value === null || typeof value !== "object") return [at];
  const keys = Array.isArray(value) ? value.map((_, i) => String(i)) : Object.keys(value);
  return [at, ...keys.flatMap((key) => pointers((value as Record<string, unknown>)[key], `${at}/${key}`))];
}

function replaceAt(value: unknown, pointer: string, replacement: unknown): unknown {
  if (pointer === "") return replacement;
  const copy = structuredClone(value) as Record<string, unknown>;
  const keys = pointer.slice(1).split("/");
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys.at(-1) ?? ""] = replacement;
  return copy;
}

// ---------------------------------------------------------------- the categories

function validRequests(seed: number): fc.Arbitrary<HostileRequest> {
  const { valid } = fixturePools(seed);
  const validQueries = {
    listSynchronizationProfiles: [
      "?$filter=state%20eq%20'provisioned'",
      "?$filter=startswith(displayName,'Test')%20and%20id%20ne%20'x'",
      "?$orderby=displayName%20desc",
    ],
    listSynchronizationErrors: ["?$filter=entryType%20eq%20'Student'", "?$orderby=recordedDateTime%20desc"],
    any: ["", "?$top=2", "?$count=true", "?$top=1&$skiptoken=1"],
  };
  const optionalHeaders = fc.record(
    {
      prefer: fc.constant("include-unknown-enum-members"),
      "client-request-id": fc.uuid(),
    },
    { requiredKeys: [] },
  );
  return fc
    .tuple(
      fc.constantFrom(...operations),
      idArbitrary,
      fc.oneof(
        fc.constantFrom(...validQueries.any),
        fc
          .constantFrom(...validQueries.listSynchronizationProfiles)
          .map((q) => ({ q, for: "listSynchronizationProfiles" })),
        fc
          .constantFrom(...validQueries.listSynchronizationErrors)
          .map((q) => ({ q, for: "listSynchronizationErrors" })),
      ),
      fc.nat(),
      optionalHeaders,
      setupArbitrary,
      fc.constantFrom("/beta", "/testEduApi", ""),
    )
    .map(([operation, id, query, pick, extra, setup, prefix]) => {
      const pool = valid[operation.operationId];
      const payload = pool ? withId(operation.operationId, pool[pick % pool.length], id) : undefined;
      const path = `${prefix}${operation.path.replace("{id}", id)}`;
      const lists = ["listSynchronizationProfiles", "listSynchronizationErrors"].includes(operation.operationId);
      const queryText = typeof query === "string" ? query : query.for === operation.operationId ? query.q : "";
      const reads = ["getSynchronizationProfile", "getSynchronizationProfileStatus", "listSynchronizationErrors"];
      const want: Want | undefined =
        operation.operationId === "createSynchronizationProfile"
          ? { statuses: [202], why: "a request the spec admits is served (decisions.md#closed-requests)" }
          : operation.operationId === "listSynchronizationProfiles"
            ? { statuses: [200], why: "list" }
            : reads.includes(operation.operationId)
              ? id === existing
                ? setup.action === "delete"
                  ? { statuses: [200, 404], why: "a read of a profile that is being deleted, or is gone" }
                  : { statuses: [200], why: "a read of a profile that exists" }
                : { statuses: [404], code: "itemNotFound", why: "decisions.md#unknown-profile", simulatorOnly: true }
              : undefined;
      return request("valid", {
        method: operation.method,
        target: `${path}${lists ? queryText : ""}`,
        headers: { ...bearer, ...extra, ...(payload === undefined ? {} : json) },
        body: payload === undefined ? undefined : JSON.stringify(payload),
        setup: path.includes(existing) || JSON.stringify(payload ?? "").includes(existing) ? setup : undefined,
        want,
      });
    });
}

function invalidFixtureRequests(seed: number): fc.Arbitrary<HostileRequest> {
  return fc
    .tuple(fc.constantFrom(...fixturePools(seed).invalid), idArbitrary, setupArbitrary)
    .map(([fixture, id, setup]) =>
      request("invalid-fixture", {
        method: methodOf[fixture.operationId] ?? "POST",
        target: targetOf(fixture.operationId, id),
        headers: { ...bearer, ...json },
        // The fixture's own id, when the rule it breaks is the id's.
        body: JSON.stringify(
          fixture.path === "/id" ? fixture.payload : withId(fixture.operationId, fixture.payload, id),
        ),
        setup: id === existing ? setup : undefined,
        want: {
          statuses: [400],
          code: "BadRequest",
          why: `the negative fixture breaks ${fixture.rule} at ${fixture.path || "/"}`,
        },
      }),
    );
}

const bodyTargets = fc.constantFrom(
  { method: "POST", target: profilesPath },
  { method: "PUT", target: profilesPath },
  { method: "PATCH", target: `${profilesPath}/${existing}` },
  { method: "POST", target: `${profilesPath}/${existing}/start` },
  { method: "DELETE", target: `${profilesPath}/${existing}` },
);

function randomJsonRequests(): fc.Arbitrary<HostileRequest> {
  return fc
    .tuple(bodyTargets, fc.jsonValue({ maxDepth: 5 }), setupArbitrary)
    .map(([{ method, target }, value, setup]) =>
      request("random-json", {
        method,
        target,
        headers: { ...bearer, ...json },
        body: JSON.stringify(value),
        setup: target.includes(existing) ? setup : undefined,
      }),
    );
}

function wrongTypeRequests(seed: number): fc.Arbitrary<HostileRequest> {
  const { valid } = fixturePools(seed);
  return fc
    .tuple(
      fc.constantFrom(...bodyOperations),
      fc.nat(),
      fc.nat(),
      fc.oneof(fc.jsonValue({ maxDepth: 2 }), nastyString),
      idArbitrary,
      setupArbitrary,
    )
    .map(([operationId, pick, where, value, id, setup]) => {
      const pool = valid[operationId] ?? [];
      const base = withId(operationId, pool[pick % pool.length], id);
      const all = pointers(base);
      const pointer = all[where % all.length] ?? "";
      return request("wrong-type", {
        method: methodOf[operationId] ?? "POST",
        target: targetOf(operationId, id),
        headers: { ...bearer, ...json },
        body: JSON.stringify(replaceAt(base, pointer, value)),
        setup: id === existing ? setup : undefined,
      });
    });
}

/** A property the type does not have, at the root or in the data provider: names JavaScript treats specially among them. */
function extraPropertyRequests(seed: number): fc.Arbitrary<HostileRequest> {
  const name = fc.oneof(
    fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "__defineGetter__"),
    nastyString.map((s) => `x-${s}`),
  );
  return fc
    .tuple(validCreate(seed), name, fc.jsonValue({ maxDepth: 2 }), fc.boolean())
    .map(([base, key, value, nested]) => {
      const extra = `${JSON.stringify(key)}:${JSON.stringify(value)},`;
      const body = nested
        ? JSON.stringify({ ...base, dataProvider: "__INNER__" }).replace(
            '"__INNER__"',
            () => `{${extra}${JSON.stringify(base.dataProvider).slice(1)}`,
          )
        : `{${extra}${JSON.stringify(base).slice(1)}`;
      return request("wrong-type", {
        method: "POST",
        target: profilesPath,
        headers: { ...bearer, ...json },
        body,
        want: {
          statuses: [400],
          code: "BadRequest",
          why: "a property the type does not have is a 400 (decisions.md#closed-requests)",
        },
      });
    });
}

function hugeStringRequests(seed: number): fc.Arbitrary<HostileRequest> {
  // From well under the 1 MiB limit to three times over it: memory stays in the tens of megabytes.
  const sizes = fc.constantFrom(
    64 * 1024,
    512 * 1024,
    defaultMaxBodyBytes - 1024,
    defaultMaxBodyBytes + 1,
    2 * defaultMaxBodyBytes,
    3 * defaultMaxBodyBytes,
  );
  // Any operation, those that take no body included: on an action a body is a mistake whatever its
  // size; a DELETE ignores it, as a GET does.
  const elsewhere = fc
    .tuple(
      fc.constantFrom(
        { method: "POST", target: `${profilesPath}/${existing}/pause` },
        { method: "DELETE", target: `${profilesPath}/${existing}` },
        { method: "PATCH", target: `${profilesPath}/${existing}` },
        { method: "PUT", target: profilesPath },
      ),
      sizes,
      setupArbitrary,
    )
    .map(([{ method, target }, bytes, setup]) =>
      request("huge-string", {
        method,
        target,
        headers: { ...bearer, ...json },
        body: JSON.stringify({ displayName: hugePlaceholder }),
        huge: { unit: "x", repeat: bytes },
        setup: target.includes(existing) ? setup : undefined,
        want: ["PATCH", "PUT"].includes(method)
          ? bytes > defaultMaxBodyBytes
            ? { statuses: [413], code: "requestEntityTooLarge", why: "a body over 1 MiB (decisions.md#request-size)" }
            : undefined
          : method === "DELETE"
            ? {
                statuses: [202, 404, 409],
                why: "a body a DELETE does not use is not read, whatever its size (decisions.md#bodies-without-use)",
              }
            : {
                statuses: [400],
                code: "BadRequest",
                why: "a body on an action that takes none, whatever its size",
              },
      }),
    );
  const createBodies = fc
    .tuple(validCreate(seed), sizes, fc.constantFrom("x", "é", "😀", "\u0000", "\\", '"'))
    .map(([base, bytes, unit]) => {
      const escaped = JSON.stringify(unit).slice(1, -1);
      const repeat = Math.max(1, Math.floor(bytes / Buffer.byteLength(escaped)));
      const body = JSON.stringify({ ...base, displayName: hugePlaceholder });
      const size = Buffer.byteLength(body) - Buffer.byteLength(hugePlaceholder) + Buffer.byteLength(escaped) * repeat;
      return request("huge-string", {
        method: "POST",
        target: profilesPath,
        headers: { ...bearer, ...json },
        body,
        huge: { unit: escaped, repeat },
        want:
          size > defaultMaxBodyBytes
            ? { statuses: [413], code: "requestEntityTooLarge", why: "a body over 1 MiB (decisions.md#request-size)" }
            : { statuses: [202], why: "displayName has no maximum length (decisions.md#display-name)" },
      });
    });
  return fc.oneof(createBodies, elsewhere);
}

function deepNestingRequests(seed: number): fc.Arbitrary<HostileRequest> {
  const depth = fc.oneof(
    fc.constantFrom(32, 63, 64, 65, 100, 1000, 10_000, 50_000),
    fc.integer({ min: 1, max: 50_000 }),
  );
  return fc
    .tuple(
      validCreate(seed),
      depth,
      fc.constantFrom("array", "object"),
      fc.constantFrom("root", "displayName", "customizations"),
    )
    .map(([base, levels, kind, where]) => {
      const open = kind === "array" ? "[" : '{"a":';
      const close = kind === "array" ? "]" : "}";
      const nested = `${open.repeat(levels)}${kind === "array" ? "" : "1"}${close.repeat(levels)}`;
      const text = JSON.stringify({ ...base, displayName: "__NESTED__" });
      const body =
        where === "root"
          ? nested
          : where === "displayName"
            ? text.replace('"__NESTED__"', () => nested)
            : JSON.stringify({
                ...base,
                dataProvider: {
                  "@odata.type": "#microsoft.graph.educationCsvDataProvider",
                  customizations: "__NESTED__",
                },
              }).replace('"__NESTED__"', () => nested);
      return request("deep-nesting", {
        method: "POST",
        target: profilesPath,
        headers: { ...bearer, ...json },
        body,
        want: {
          statuses: Buffer.byteLength(body) > defaultMaxBodyBytes ? [413] : [400],
          why: "a nested value where a profile has none is a 400, a body over 1 MiB a 413",
        },
      });
    });
}

function unicodeRequests(seed: number): fc.Arbitrary<HostileRequest> {
  const inDisplayName = fc.tuple(validCreate(seed), nastyString).map(([base, name]) =>
    request("unicode", {
      method: "POST",
      target: profilesPath,
      headers: { ...bearer, ...json },
      body: JSON.stringify({ ...base, displayName: name }),
    }),
  );
  // A control character inside a JSON string, unescaped, is not JSON.
  const rawControl = fc.tuple(validCreate(seed), fc.integer({ min: 0, max: 0x1f })).map(([base, code]) =>
    request("unicode", {
      method: "POST",
      target: profilesPath,
      headers: { ...bearer, ...json },
      body: JSON.stringify({ ...base, displayName: "__RAW__" }).replace(
        "__RAW__",
        () => `a${String.fromCharCode(code)}b`,
      ),
      want: { statuses: [400], code: "BadRequest", why: "an unescaped control character is not JSON" },
    }),
  );
  // Bytes that are not UTF-8 inside a string, and a UTF-8 byte-order mark before the JSON.
  const rawBytes = fc
    .tuple(validCreate(seed), fc.uint8Array({ minLength: 1, maxLength: 6 }), fc.boolean())
    .map(([base, bytes, bom]) => {
      const [before, after] = JSON.stringify({ ...base, displayName: "__BYTES__" }).split("__BYTES__");
      return request("unicode", {
        method: "POST",
        target: profilesPath,
        headers: { ...bearer, ...json },
        body: new Uint8Array(
          Buffer.concat([
            bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
            Buffer.from(before ?? ""),
            Buffer.from(bytes.map((b) => (b === 0x22 || b === 0x5c || b < 0x20 ? 0x80 : b))),
            Buffer.from(after ?? ""),
          ]),
        ),
      });
    });
  const inPath = nastyString.map((segment) =>
    request("unicode", { method: "GET", target: `${profilesPath}/${percentEncode(segment)}/profileStatus` }),
  );
  return fc.oneof(inDisplayName, rawControl, rawBytes, inPath);
}

function duplicateKeyRequests(seed: number): fc.Arbitrary<HostileRequest> {
  return fc
    .tuple(validCreate(seed), fc.nat(), fc.jsonValue({ maxDepth: 2 }), fc.boolean(), fc.boolean())
    .map(([base, pick, value, first, nested]) => {
      const object = (nested ? base.dataProvider : base) as Record<string, unknown>;
      const keys = Object.keys(object);
      const key = keys[pick % keys.length] ?? "displayName";
      const duplicate = `${JSON.stringify(key)}:${JSON.stringify(value)}`;
      const inner = JSON.stringify(object);
      const withDuplicate = first ? `{${duplicate},${inner.slice(1)}` : `${inner.slice(0, -1)},${duplicate}}`;
      const body = nested
        ? JSON.stringify({ ...base, dataProvider: "__INNER__" }).replace('"__INNER__"', () => withDuplicate)
        : withDuplicate;
      return request("duplicate-keys", {
        method: "POST",
        target: profilesPath,
        headers: { ...bearer, ...json },
        body,
        // JSON.parse keeps the last value: when that is the valid one, the request is the valid request.
        want: first ? { statuses: [202], why: "the last of duplicate keys wins, as in JSON.parse" } : undefined,
      });
    });
}

function contentTypeRequests(seed: number): fc.Arbitrary<HostileRequest> {
  const contentType = fc.oneof(
    fc.constantFrom(
      undefined,
      "application/json",
      "application/json; charset=utf-8",
      "Application/JSON",
      "application/json ; x=y",
      "application/json;charset=latin1",
      "text/plain",
      "text/json",
      "application/jsonp",
      "application/json-patch+json",
      "application/merge-patch+json",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/json, text/plain",
      "*/*",
      "",
    ),
    headerValue,
  );
  return fc.tuple(validCreate(seed), contentType).map(([base, type]) => {
    const mediaType = (type ?? "").split(";")[0]?.trim().toLowerCase();
    return request("content-type", {
      method: "POST",
      target: profilesPath,
      headers: { ...bearer, ...(type === undefined ? {} : { "content-type": type }) },
      body: JSON.stringify(base),
      want:
        mediaType === "application/json"
          ? { statuses: [202], why: "a JSON body with a JSON media type" }
          : { statuses: [415], code: "unsupportedMediaType", why: "a body that is not application/json" },
    });
  });
}

function truncatedRequests(seed: number): fc.Arbitrary<HostileRequest> {
  const { valid } = fixturePools(seed);
  return fc
    .tuple(fc.constantFrom(...bodyOperations), fc.nat(), fc.nat(), idArbitrary, setupArbitrary)
    .map(([operationId, pick, cut, id, setup]) => {
      const pool = valid[operationId] ?? [];
      const text = JSON.stringify(withId(operationId, pool[pick % pool.length], id));
      return request("truncated", {
        method: methodOf[operationId] ?? "POST",
        target: targetOf(operationId, id),
        headers: { ...bearer, ...json },
        body: text.slice(0, cut % text.length),
        setup: id === existing ? setup : undefined,
        want: { statuses: [400], code: "BadRequest", why: "a truncated body is not JSON (or is missing)" },
      });
    });
}

const segment = fc.oneof(
  fc.constantFrom(
    existing,
    unknownId,
    "..",
    ".",
    "%2e%2e",
    "%2E",
    "%2F",
    "%2f..%2f",
    "%00",
    "%zz",
    "%",
    "%E0%A4%A",
    "%C0%AF",
    "~",
    "a;b=c",
    "(x)",
    "''",
    "profileStatus",
    "ProfileStatus",
    "errors",
    "Errors",
    "start",
    "pause",
    "resume",
    "reset",
    "uploadUrl",
    "uploadUrl()",
    "microsoft.graph.start",
    "microsoft.graph.uploadUrl()",
    "microsoft.graph.uploadUrl",
    "$count",
    "$value",
    "$metadata",
    "synchronizationProfiles",
    "",
  ),
  fc.uuid(),
  nastyString.map(percentEncode),
  fc.constantFrom(1000, 10_000, 100_000).map((n) => "a".repeat(n)),
);

const oddMethod = fc.oneof(
  fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "get", "patch", "delete", "Post"),
  fc.constantFrom("PROPFIND", "MKCOL", "SEARCH", "PURGE", "LINK", "M-SEARCH", "FOO"),
);

function methodPathRequests(): fc.Arbitrary<HostileRequest> {
  return fc
    .tuple(
      oddMethod,
      fc.constantFrom("/beta", "/testEduApi", "", "/v1.0", "/BETA", "/beta/beta", "//beta"),
      fc.constantFrom(
        "/education/synchronizationProfiles",
        "/education/SynchronizationProfiles",
        "/synchronizationProfiles",
        "/education",
        "",
        "/education/synchronizationProfiles/",
      ),
      fc.array(segment, { maxLength: 4 }),
      fc.constantFrom("", "/", "//", "?", "#frag", "?$top=1"),
      fc.option(fc.jsonValue({ maxDepth: 1 }), { nil: undefined }),
      setupArbitrary,
    )
    .map(([method, prefix, base, segments, suffix, value, setup]) => {
      const target = `${prefix}${base}${segments.map((s) => `/${s}`).join("")}${suffix}` || "/";
      const bodyless = ["GET", "HEAD"].includes(method.toUpperCase());
      return request("method-path", {
        method,
        target: target.startsWith("/") ? target : `/${target}`,
        headers: { ...bearer, ...(value === undefined || bodyless ? {} : json) },
        body: value === undefined || bodyless ? undefined : JSON.stringify(value),
        setup: target.includes(existing) ? setup : undefined,
      });
    });
}

function queryRequests(): fc.Arbitrary<HostileRequest> {
  const key = fc.oneof(
    fc.constantFrom("$top", "$skip", "$count", "$filter", "$orderby", "$skiptoken", "$select", "$expand", "$search"),
    fc.constantFrom("top", "$TOP", "$format", "api-version", "__proto__", "constructor"),
    headerValue.map(percentEncode),
  );
  const value = fc.oneof(
    fc
      .constantFrom(
        "1",
        "0",
        "-1",
        "1e3",
        "0x10",
        "99999999999999999999",
        "true",
        "TRUE",
        "yes",
        "displayName eq 'x'",
        "displayName eq 'it''s'",
        "displayName eq '",
        "state eq 'provisioned' and id ne 'x'",
        "startswith(displayName,'Test')",
        "startswith(displayName,",
        "displayName desc",
        "state sideways",
        "entryType eq 'Student'",
        "",
      )
      .map(percentEncode),
    nastyString.map(percentEncode),
    fc.constantFrom("%", "%zz", "%00", "&", "=", "+", "%2B"),
  );
  const pair = fc.tuple(key, value).map(([k, v]) => `${k}=${v}`);
  return fc
    .tuple(
      fc.constantFrom(profilesPath, `${profilesPath}/${existing}/errors`, `${profilesPath}/${existing}`),
      fc.array(fc.oneof(pair, key), { minLength: 1, maxLength: 5 }),
      setupArbitrary,
    )
    .map(([path, pairs, setup]) =>
      request("query", {
        method: "GET",
        target: `${path}?${pairs.join("&")}`,
        setup: path.includes(existing) ? setup : undefined,
      }),
    );
}

const base64url = (value: unknown) =>
  Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

function tokenRequests(seed: number): fc.Arbitrary<HostileRequest> {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const claimValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), nastyString);
  const claims = fc.record(
    {
      scp: fc.oneof(
        fc.constantFrom(
          "EduAdministration.ReadWrite",
          "EduAdministration.Read",
          "User.Read",
          "",
          "eduadministration.readwrite",
        ),
        claimValue,
      ),
      roles: fc.oneof(
        fc.constantFrom(["EduAdministration.ReadWrite.All"], ["EduAdministration.Read.All"], [], ["Other.All"]),
        claimValue,
      ),
      tid: fc.oneof(fc.constantFrom(fuzzTenant, "__proto__", "constructor", ""), claimValue),
      exp: fc.oneof(fc.constantFrom(nowSeconds - 3600, nowSeconds + 7200, 0, -1, 1e300, "9999999999"), claimValue),
    },
    { requiredKeys: [] },
  );
  type Target = { operation: "list" | "create"; method: string; target: string };
  const targets: fc.Arbitrary<Target> = fc.constantFrom(
    { operation: "list", method: "GET", target: profilesPath },
    { operation: "create", method: "POST", target: profilesPath },
  );
  // What reference §1.1 and the simulator's README say a token gets: the rules that pin an answer.
  const oracle = (operation: Target["operation"], c: Record<string, unknown> | undefined): Want | undefined => {
    if (c === undefined)
      return { statuses: [401], code: "InvalidAuthenticationToken", why: "not a JWT with a claims object" };
    if (c.tid !== undefined && (typeof c.tid !== "string" || c.tid === ""))
      return { statuses: [401], code: "InvalidAuthenticationToken", why: "a tid that names no tenant" };
    if (typeof c.exp === "number" && c.exp < nowSeconds - 60)
      return { statuses: [401], code: "InvalidAuthenticationToken", why: "an expired token" };
    if (typeof c.exp === "number" && c.exp <= nowSeconds + 60) return undefined;
    const delegated =
      operation === "list"
        ? ["EduAdministration.Read", "EduAdministration.ReadWrite"]
        : ["EduAdministration.ReadWrite"];
    const application = operation === "list" ? ["EduAdministration.Read.All", "EduAdministration.ReadWrite.All"] : [];
    if (typeof c.scp === "string" && c.roles === undefined) {
      const granted = c.scp.split(" ").some((s) => delegated.includes(s));
      return granted
        ? { statuses: operation === "list" ? [200] : [202], why: "a delegated permission the operation accepts" }
        : { statuses: [403], code: "accessDenied", why: "no delegated permission the operation accepts" };
    }
    if (Array.isArray(c.roles) && c.scp === undefined) {
      const granted = c.roles.some((r) => application.includes(r as string));
      return granted
        ? { statuses: [200], why: "an application permission the operation accepts" }
        : { statuses: [403], code: "accessDenied", why: "no application permission the operation accepts" };
    }
    if (c.scp === undefined && c.roles === undefined)
      return { statuses: [403], code: "accessDenied", why: "a token with neither scp nor roles" };
    return undefined;
  };
  const jwt = fc
    .tuple(targets, claims, fc.constantFrom('{"alg":"none","typ":"JWT"}', "{}", "not json"))
    .map(([target, c, header]) => ({
      target,
      authorization: `Bearer ${base64url(header)}.${base64url(c)}.`,
      want: simulatorOnly(oracle(target.operation, c)),
    }));
  const notAClaimsObject = fc
    .tuple(
      targets,
      fc.oneof(
        fc.jsonValue({ maxDepth: 1 }).filter((v) => v === null || typeof v !== "object" || Array.isArray(v)),
        fc.constant("{"),
      ),
    )
    .map(([target, payload]) => ({
      target,
      authorization: `Bearer e30.${typeof payload === "string" ? base64url(payload) : base64url(payload)}.`,
      want: simulatorOnly(oracle(target.operation, undefined)),
    }));
  const notBearer = fc
    .tuple(
      targets,
      fc.constantFrom("", "Bearer", "Bearer ", "bearer", "Basic dXNlcjpwYXNz", "Bearer a b", "Token abc", "Bearer\t"),
    )
    .map(([target, authorization]) => ({
      target,
      authorization,
      want: { statuses: [401], code: "InvalidAuthenticationToken", why: "no bearer token" } as Want,
    }));
  const notAJwt = fc
    .tuple(
      targets,
      fc.oneof(
        fc
          .string({ unit: fc.constantFrom(..."abcXYZ019-_+/="), minLength: 1, maxLength: 60 })
          .map((t) => `Bearer ${t}`),
        fc.constantFrom(1000, 100_000).map((n) => `Bearer ${"a".repeat(n)}`),
      ),
    )
    .map(([target, authorization]) => ({
      target,
      authorization,
      want: simulatorOnly({
        statuses: [401],
        code: "InvalidAuthenticationToken",
        why: "a bearer token that is not a JWT",
      }),
    }));
  const absent = targets.map((target) => ({
    target,
    authorization: undefined,
    want: { statuses: [401], code: "InvalidAuthenticationToken", why: "no Authorization header" } as Want,
  }));
  return fc
    .tuple(fc.oneof(jwt, notAClaimsObject, notBearer, notAJwt, absent), validCreate(seed))
    .map(([{ target, authorization, want }, body]) =>
      request("token", {
        method: target.method,
        target: target.target,
        headers: {
          ...(authorization === undefined ? {} : { authorization }),
          ...(target.operation === "create" ? json : {}),
        },
        body: target.operation === "create" ? JSON.stringify({ ...body, displayName: "Token test" }) : undefined,
        want,
      }),
    );
}

function headerRequests(seed: number): fc.Arbitrary<HostileRequest> {
  const fault = fc.oneof(
    fc.constantFrom(
      "throttle",
      "throttle retry-after=5",
      "throttle retry-after=0",
      "throttle retry-after=-1",
      "throttle retry-after=Infinity",
      "throttle retry-after=1e400",
      "throttle retry-after=NaN",
      "throttle retry-after=abc",
      "500",
      "503",
      "504",
      "502",
      "latency=0",
      "latency=3",
      "latency=-1",
      "latency=1e9",
      "500, 503",
      "throttle, 500",
      ",,,",
      "",
    ),
    headerValue,
  );
  const scenario = fc.oneof(
    fc.constantFrom(
      "sync-error:120, deletion-failed",
      "sync-error:-1",
      "sync-error:1.5",
      "sync-error:99999999",
      "sync-error:",
      "provisioning-failed provisioning-failed",
      "explode",
    ),
    headerValue,
  );
  const prefer = fc.oneof(
    fc.constantFrom(
      "include-unknown-enum-members",
      "code=500",
      "code=404",
      "example=paged",
      "example=nope",
      "return=minimal",
      "odata.maxpagesize=1",
      "respond-async, wait=5",
      'code="200"',
    ),
    headerValue,
  );
  const clientRequestId = fc.oneof(fc.uuid(), headerValue);
  const headers = fc.record(
    {
      "x-sds-fault": fault,
      "x-sds-scenario": scenario,
      prefer,
      "client-request-id": clientRequestId,
      "x-sds-tenant": headerValue,
    },
    { requiredKeys: [] },
  );
  return fc.tuple(fc.boolean(), headers, validCreate(seed)).map(([create, extra, body]) =>
    request("headers", {
      method: create ? "POST" : "GET",
      target: profilesPath,
      headers: { ...bearer, ...extra, ...(create ? json : {}) },
      body: create ? JSON.stringify(body) : undefined,
    }),
  );
}

function adminRequests(seed: number): fc.Arbitrary<HostileRequest> {
  const numberText = fc.oneof(
    fc.constantFrom(
      "1e400",
      "-1e400",
      "1e300",
      "8.64e15",
      "8640000000000001",
      "1e16",
      "-0",
      "0.5",
      "1e-400",
      "9007199254740993",
    ),
    fc.double().map((d) => JSON.stringify(d)),
    fc.integer().map(String),
  );
  const valueText = fc.oneof(
    numberText,
    fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
    nastyString.map((s) => JSON.stringify(s)),
    fc
      .constantFrom(
        "provisioned",
        "provisioning",
        "deleting",
        "deletionFailed",
        "provisioningFailed",
        "success",
        "error",
        "paused",
        "validationError",
        "valid",
        "missing-file",
        "sync-error:3",
      )
      .map((s) => JSON.stringify(s)),
    validCreate(seed).map((v) => JSON.stringify(v)),
  );
  const key = fc.constantFrom(
    "ms",
    "throttle",
    "status",
    "count",
    "profile",
    "state",
    "errors",
    "scenario",
    "files",
    "tenant",
    "id",
    "__proto__",
  );
  const body = fc.oneof(
    fc
      .uniqueArray(fc.tuple(key, valueText), { selector: ([k]) => k, maxLength: 5 })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`),
    fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
    fc.constantFrom("", "{", "null", "[]"),
  );
  const route = fc.oneof(
    fc.constantFrom(
      { method: "GET", path: "/_sds/health" },
      { method: "GET", path: "/_sds/clock" },
      { method: "POST", path: "/_sds/clock/advance" },
      { method: "POST", path: "/_sds/reset" },
      { method: "POST", path: "/_sds/profiles" },
      { method: "POST", path: "/_sds/faults" },
    ),
    fc.tuple(oddMethod, segment).map(([method, s]) => ({ method, path: `/_sds/${s}` })),
  );
  // The admin routes' own fields, with numbers at and beyond what a clock or a Retry-After can hold.
  const fieldsFor = (path: string): fc.Arbitrary<string> =>
    path === "/_sds/clock/advance"
      ? numberText.map((n) => `{"ms":${n}}`)
      : path === "/_sds/faults"
        ? fc
            .tuple(
              fc.oneof(
                numberText.map((n) => `"throttle":${n}`),
                numberText.map((n) => `"status":${n}`),
              ),
              numberText,
            )
            .map(([fault, count]) => `{${fault},"count":${count}}`)
        : body;
  const routeAndBody = route.chain(({ method, path }) =>
    fc.oneof(fieldsFor(path), body).map((text) => ({ method, path, text })),
  );
  return fc.tuple(routeAndBody, fc.option(headerValue, { nil: undefined })).map(([{ method, path, text }, tenant]) => {
    const bodyless = ["GET", "HEAD"].includes(method.toUpperCase());
    return request("admin", {
      method,
      target: path,
      headers: { ...json, ...(tenant === undefined ? {} : { "x-sds-tenant": tenant }) },
      body: bodyless ? undefined : text,
      followUp: true,
    });
  });
}

/** Every category, weighted; `only` narrows to some (the Prism mock has no admin API nor X-Sds headers). */
export function hostileRequests(
  seed: number,
  options: { only?: readonly FuzzCategory[] } = {},
): fc.Arbitrary<HostileRequest> {
  const all: [FuzzCategory, number, () => fc.Arbitrary<HostileRequest>][] = [
    ["valid", 16, () => validRequests(seed)],
    ["invalid-fixture", 10, () => invalidFixtureRequests(seed)],
    ["random-json", 7, () => randomJsonRequests()],
    ["wrong-type", 6, () => wrongTypeRequests(seed)],
    ["wrong-type", 2, () => extraPropertyRequests(seed)],
    ["huge-string", 2, () => hugeStringRequests(seed)],
    ["deep-nesting", 4, () => deepNestingRequests(seed)],
    ["unicode", 7, () => unicodeRequests(seed)],
    ["duplicate-keys", 4, () => duplicateKeyRequests(seed)],
    ["content-type", 5, () => contentTypeRequests(seed)],
    ["truncated", 5, () => truncatedRequests(seed)],
    ["method-path", 10, () => methodPathRequests()],
    ["query", 6, () => queryRequests()],
    ["token", 8, () => tokenRequests(seed)],
    ["headers", 6, () => headerRequests(seed)],
    ["admin", 4, () => adminRequests(seed)],
  ];
  const chosen = all.filter(([category]) => options.only === undefined || options.only.includes(category));
  return fc.oneof(...chosen.map(([, weight, arbitrary]) => ({ weight, arbitrary: arbitrary() })));
}
