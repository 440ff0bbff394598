import fc from "fast-check";
import { csvProfileRequest } from "../../src/pact/provider-states/csv-profile-request.js";
import { profilesPath, readWriteToken } from "./hostile-requests.js";

/**
 * Raw HTTP/1.1 requests no client library will send, as bytes: a valid request with one thing
 * broken (its request line, a header, its length, its line endings, its body cut short), or
 * two requests in one write. What node's parser refuses it answers itself (400, 431); the rest
 * reaches the server's handler.
 */
export interface RawRequest {
  mutation: string;
  bytes: Uint8Array;
}

const body = JSON.stringify(csvProfileRequest);
const lines = (...parts: string[]) => `${parts.join("\r\n")}\r\n\r\n`;
const get = lines(
  "GET /beta/education/synchronizationProfiles HTTP/1.1",
  "Host: 127.0.0.1",
  `Authorization: Bearer ${readWriteToken}`,
);
const post = `${lines(
  `POST ${profilesPath} HTTP/1.1`,
  "Host: 127.0.0.1",
  `Authorization: Bearer ${readWriteToken}`,
  "Content-Type: application/json",
  `Content-Length: ${Buffer.byteLength(body)}`,
)}${body}`;

const described = (mutation: string, text: string | Uint8Array): RawRequest => {
  const bytes = typeof text === "string" ? new Uint8Array(Buffer.from(text, "latin1")) : text;
  return Object.assign(
    { mutation, bytes },
    {
      [fc.toStringMethod]: () =>
        `[${mutation}] ${JSON.stringify(Buffer.from(bytes).toString("latin1").slice(0, 300))}${bytes.length > 300 ? `…(${bytes.length} bytes)` : ""}`,
    },
  );
};

const template = fc.constantFrom(get, post);

export const rawRequests: fc.Arbitrary<RawRequest> = fc.oneof(
  fc.tuple(template, fc.nat()).map(([text, cut]) => described("truncated", text.slice(0, cut % text.length))),
  fc.tuple(template, fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 12 })).map(([text, at, bytes]) => {
    const where = at % text.length;
    const buffer = Buffer.from(text, "latin1");
    return described(
      "stray bytes",
      new Uint8Array(Buffer.concat([buffer.subarray(0, where), Buffer.from(bytes), buffer.subarray(where)])),
    );
  }),
  fc
    .constantFrom(
      "-1",
      "abc",
      "1e3",
      "99999999999999999999",
      "0",
      "10",
      String(Buffer.byteLength(body) + 50),
      `${Buffer.byteLength(body)}, ${Buffer.byteLength(body)}`,
      " 12",
    )
    .map((length) =>
      described(
        `content-length ${length}`,
        post.replace(/Content-Length: \d+/, () => `Content-Length: ${length}`),
      ),
    ),
  fc.constant(
    described("two content-lengths", post.replace("Content-Length:", "Content-Length: 5\r\nContent-Length:")),
  ),
  fc
    .constantFrom(
      "5\r\nhello\r\n0\r\n\r\n",
      "zz\r\n",
      "ffffffffffffffff\r\nx",
      "0\r\n\r\n",
      `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`,
    )
    .map((chunks) =>
      described(
        "chunked",
        `${lines(`POST ${profilesPath} HTTP/1.1`, "Host: 127.0.0.1", `Authorization: Bearer ${readWriteToken}`, "Content-Type: application/json", "Transfer-Encoding: chunked")}${chunks}`,
      ),
    ),
  fc.constant(
    described(
      "content-length and chunked",
      post.replace("Content-Length:", "Transfer-Encoding: chunked\r\nContent-Length:"),
    ),
  ),
  template.map((text) => described("bare LF", text.replaceAll("\r\n", "\n"))),
  fc
    .tuple(
      fc.constantFrom("GET", "POST", "BREW", "get", "G ET", "", "\u0000", "CONNECT", "TRACE", "PRI"),
      fc.constantFrom(
        "/beta/education/synchronizationProfiles",
        "*",
        "http://evil.example/beta/education/synchronizationProfiles",
        "//%zz/",
        "/%",
        "/a b",
        "127.0.0.1:443",
        "",
        "/\u00ff\u0080",
      ),
      fc.constantFrom("HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/9.9", "", "http/1.1"),
    )
    .map(([method, target, version]) =>
      described(
        "request line",
        lines(`${method} ${target} ${version}`.trim(), "Host: 127.0.0.1", `Authorization: Bearer ${readWriteToken}`),
      ),
    ),
  fc
    .constantFrom(
      "Host: [::1",
      "Host: a b",
      "Host: evil.example:99999",
      "Host: ",
      "X-Test: a\u0000b",
      "X-Test: a\u007fb",
      "X-Test: \u00ff\u00fe",
      "X-Test:\r\n folded",
      "NoColonHere",
      ": empty-name",
      `X-Big: ${"a".repeat(20_000)}`,
      "Content-Type: application/json\r\nContent-Type: text/plain",
      "Authorization: Bearer a\r\nAuthorization: Bearer b",
      "Expect: 100-continue",
      "Connection: upgrade\r\nUpgrade: websocket",
    )
    .chain((header) =>
      template.map((text) =>
        described(
          `header ${JSON.stringify(header.slice(0, 30))}`,
          text.replace("\r\n", () => `\r\n${header}\r\n`),
        ),
      ),
    ),
  fc.tuple(template, template).map(([first, second]) => described("pipelined", `${first}${second}`)),
  fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => described("random bytes", bytes)),
);
