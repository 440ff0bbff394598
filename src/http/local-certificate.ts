import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { importPart } from "../parts/optional-parts.js";

/**
 * TLS for a local server that clients trust through `NODE_EXTRA_CA_CERTS`: a certificate authority
 * of the kit's own, kept as `ca.pem` in a directory, and a server certificate it signs at every
 * start for the names the server answers on. A CA (rather than one self-signed server certificate)
 * is what lets a team trust a directory once and restart servers, on other ports or hosts, freely.
 */
export interface LocalCertificate {
  /** The server's private key, PEM. */
  key: string;
  /** The server certificate followed by the CA's, PEM: the chain a TLS server presents. */
  cert: string;
  /** The CA certificate, PEM: what a client trusts. */
  caCertificate: string;
  /** Where `caCertificate` is on disk: the value for `NODE_EXTRA_CA_CERTS`. */
  caCertificatePath: string;
  /** Removes the directory if it was made for this server alone; a directory given is kept. */
  dispose(): void;
}

export interface LocalCertificateOptions {
  /** Names the server certificate is valid for, besides localhost, 127.0.0.1 and ::1. */
  hosts?: string[];
  /**
   * Keeps the CA in this directory (`ca.pem`, `ca-key.pem`) and reuses it while it is valid, so the
   * path handed to `NODE_EXTRA_CA_CERTS` stays the same across runs. Without it, a new temporary
   * directory and CA are made, and removed by `dispose()`.
   */
  directory?: string;
}

/** The certificate directory cannot be used: one plain line instead of a stack. */
export class CertificateSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CertificateSetupError";
  }
}

const caFile = "ca.pem";
const caKeyFile = "ca-key.pem";
const day = 24 * 60 * 60 * 1000;
/** A CA kept in a directory is replaced this long before it expires, so no run meets the edge. */
const caRenewalMargin = 7 * day;
const loopbackNames = ["localhost", "127.0.0.1", "::1"];

export async function localCertificate(options: LocalCertificateOptions = {}): Promise<LocalCertificate> {
  const { generate } = await importPart("https", () => import("selfsigned"));
  const temporary = options.directory === undefined;
  const directory = temporary ? mkdtempSync(join(tmpdir(), "sds-kit-tls-")) : resolve(options.directory ?? "");
  try {
    const ca = await certificateAuthority(directory, generate);
    const now = Date.now();
    const names = [...new Set([...loopbackNames, ...(options.hosts ?? [])])].filter(
      (name) => name !== "" && name !== "0.0.0.0" && name !== "::",
    );
    const server = await generate([{ name: "commonName", value: "sds-contract-kit local server" }], {
      keyType: "ec",
      algorithm: "sha256",
      // An hour back: a client whose clock is a little behind still accepts it.
      notBeforeDate: new Date(now - 60 * 60 * 1000),
      notAfterDate: new Date(now + 30 * day),
      ca: { key: ca.key, cert: ca.cert },
      extensions: [
        { name: "basicConstraints", cA: false },
        { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
        { name: "extKeyUsage", serverAuth: true },
        {
          name: "subjectAltName",
          altNames: names.map((name) => (isIP(name) === 0 ? { type: 2, value: name } : { type: 7, ip: name })),
        },
      ],
    });
    return {
      key: server.private,
      cert: `${server.cert.trim()}\n${ca.cert.trim()}\n`,
      caCertificate: ca.cert,
      caCertificatePath: join(directory, caFile),
      dispose: () => {
        if (temporary) rmSync(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (temporary) rmSync(directory, { recursive: true, force: true });
    if (error instanceof CertificateSetupError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EROFS" || code === "ENOTDIR" || code === "EEXIST") {
      throw new CertificateSetupError(`cannot keep the certificate authority in ${directory}: ${code}`);
    }
    throw error;
  }
}

type Generate = typeof import("selfsigned")["generate"];

/** The CA kept in `directory` if it is there, readable and valid for a while yet; otherwise a new one. */
async function certificateAuthority(directory: string, generate: Generate): Promise<{ key: string; cert: string }> {
  const certPath = join(directory, caFile);
  const keyPath = join(directory, caKeyFile);
  if (existsSync(certPath) && existsSync(keyPath)) {
    const kept = { cert: readFileSync(certPath, "utf8"), key: readFileSync(keyPath, "utf8") };
    if (stillValid(kept.cert)) return kept;
  }
  const now = Date.now();
  const created = await generate([{ name: "commonName", value: "sds-contract-kit local CA" }], {
    keyType: "ec",
    algorithm: "sha256",
    notBeforeDate: new Date(now - 60 * 60 * 1000),
    notAfterDate: new Date(now + 365 * day),
    extensions: [
      { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  mkdirSync(directory, { recursive: true });
  // The CA's key signs certificates this machine's Node then trusts: only its owner reads it.
  writeFileSync(keyPath, created.private, { mode: 0o600 });
  writeFileSync(certPath, created.cert);
  return { cert: created.cert, key: created.private };
}

function stillValid(pem: string): boolean {
  try {
    const certificate = new X509Certificate(pem);
    return certificate.ca && Date.parse(certificate.validTo) - Date.now() > caRenewalMargin;
  } catch {
    // Not a certificate (truncated, edited): replaced, as if it were not there.
    return false;
  }
}
