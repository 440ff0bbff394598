import { X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { CertificateSetupError, localCertificate } from "../../src/http/local-certificate.js";

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const freshDirectory = () => {
  const dir = mkdtempSync(join(tmpdir(), "sds-cert-test-"));
  scratch.push(dir);
  return dir;
};
/** The PEM blocks of a chain, in order. */
const pemBlocks = (pem: string) => pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];

describe("localCertificate", () => {
  test("a CA signs a server certificate for loopback and the host asked for, and the chain is server then CA", async () => {
    const made = await localCertificate({ hosts: ["sds.test"] });
    try {
      const [serverPem, caPem, ...rest] = pemBlocks(made.cert);
      expect(rest).toEqual([]);
      const server = new X509Certificate(serverPem ?? "");
      const ca = new X509Certificate(made.caCertificate);
      expect(new X509Certificate(caPem ?? "").fingerprint256).toBe(ca.fingerprint256);
      expect(ca.ca).toBe(true);
      expect(server.ca).toBe(false);
      expect(server.verify(ca.publicKey)).toBe(true);
      expect(server.checkIssued(ca)).toBe(true);
      for (const host of ["localhost", "sds.test"]) expect(server.checkHost(host)).toBe(host);
      for (const ip of ["127.0.0.1", "::1"]) expect(server.checkIP(ip)).toBe(ip);
      expect(server.checkHost("graph.microsoft.com")).toBeUndefined();
      expect(readFileSync(made.caCertificatePath, "utf8")).toBe(made.caCertificate);
    } finally {
      made.dispose();
    }
    // A CA made for one server alone goes with it.
    expect(existsSync(made.caCertificatePath)).toBe(false);
  });

  test("a directory keeps its CA across runs (the trusted path stays valid), with the key readable by its owner only", async () => {
    const directory = freshDirectory();
    const first = await localCertificate({ directory });
    const second = await localCertificate({ directory });
    first.dispose();
    second.dispose();
    expect(second.caCertificatePath).toBe(join(directory, "ca.pem"));
    expect(existsSync(second.caCertificatePath)).toBe(true);
    expect(new X509Certificate(second.caCertificate).fingerprint256).toBe(
      new X509Certificate(first.caCertificate).fingerprint256,
    );
    // Each start still gets a server certificate of its own.
    expect(pemBlocks(second.cert)[0]).not.toBe(pemBlocks(first.cert)[0]);
    expect(statSync(join(directory, "ca-key.pem")).mode & 0o777).toBe(0o600);
  });

  test("a damaged CA file in the directory is replaced rather than served", async () => {
    const directory = freshDirectory();
    writeFileSync(join(directory, "ca.pem"), "-----BEGIN CERTIFICATE-----\ntruncated");
    writeFileSync(join(directory, "ca-key.pem"), "not a key");
    const made = await localCertificate({ directory });
    expect(new X509Certificate(readFileSync(join(directory, "ca.pem"), "utf8")).ca).toBe(true);
    expect(
      new X509Certificate(pemBlocks(made.cert)[0] ?? "").checkIssued(new X509Certificate(made.caCertificate)),
    ).toBe(true);
  });

  test("a directory that cannot be written is a CertificateSetupError naming it", async () => {
    const parent = freshDirectory();
    const file = join(parent, "a-file");
    writeFileSync(file, "");
    await expect(localCertificate({ directory: join(file, "tls") })).rejects.toThrow(CertificateSetupError);
    await expect(localCertificate({ directory: join(file, "tls") })).rejects.toThrow(`${join(file, "tls")}: ENOTDIR`);
  });
});
