import { describe, expect, test } from "vitest";
import { UsageError } from "../../src/cli/args.js";
import { missingSandboxPackages, readSandboxSettings } from "../../src/cli/sandbox-settings.js";

const token = "sixteen-chars-ok";

describe("sds-kit simulate: sandbox settings from flags and variables", () => {
  test("in memory nothing changes: admin API open, no monitoring of its own, no metrics, no logs", () => {
    expect(readSandboxSettings({}, {})).toEqual({
      sandbox: false,
      store: "memory",
      host: undefined,
      port: undefined,
      uploadsUrl: undefined,
      adminToken: undefined,
      admin: true,
      monitoring: true,
      metrics: false,
      log: "off",
    });
    expect(readSandboxSettings({ "no-admin": true }, {})).toMatchObject({ admin: false, monitoring: false });
  });

  test("a database store is a sandbox: admin off without a token, monitoring, metrics and JSON logs on", () => {
    const settings = readSandboxSettings({}, { SDS_STORE_URL: "postgres://sds:pw@db:5432/sds" });
    expect(settings).toMatchObject({ sandbox: true, admin: false, monitoring: true, metrics: true, log: "json" });
    expect(readSandboxSettings({ store: "sqlite:./s.db", "admin-token": token }, {})).toMatchObject({
      sandbox: true,
      admin: true,
      adminToken: token,
    });
    expect(readSandboxSettings({ store: "sqlite:./s.db", log: "off", "no-admin": true }, {})).toMatchObject({
      admin: false,
      monitoring: true,
      log: "off",
    });
  });

  test("every variable is read, a flag wins over its variable, and a blank variable is unset", () => {
    const env = {
      SDS_HOST: "0.0.0.0",
      SDS_PORT: "8080",
      SDS_STORE_URL: "sqlite:/data/sandbox.db",
      SDS_UPLOADS_URL: "http://azurite:10000/devstoreaccount1",
      SDS_ADMIN_TOKEN: token,
      SDS_LOG: "off",
    };
    expect(readSandboxSettings({}, env)).toMatchObject({
      host: "0.0.0.0",
      port: "8080",
      store: "sqlite:/data/sandbox.db",
      uploadsUrl: "http://azurite:10000/devstoreaccount1",
      adminToken: token,
      log: "off",
    });
    expect(readSandboxSettings({ port: "0", store: "memory", log: "json" }, env)).toMatchObject({
      port: "0",
      store: "memory",
      sandbox: false,
      log: "json",
    });
    expect(readSandboxSettings({}, { SDS_STORE_URL: "", SDS_ADMIN_TOKEN: "" })).toMatchObject({
      store: "memory",
      adminToken: undefined,
    });
  });

  test("a value it cannot use is a usage error naming where it came from", () => {
    expect(() => readSandboxSettings({ "admin-token": "short" }, {})).toThrow(
      new UsageError("--admin-token must be at least 16 characters"),
    );
    expect(() => readSandboxSettings({}, { SDS_ADMIN_TOKEN: "short" })).toThrow(/^SDS_ADMIN_TOKEN must be/);
    expect(() => readSandboxSettings({}, { SDS_LOG: "text" })).toThrow("SDS_LOG must be json or off, got 'text'");
  });

  test("names no package that is installed here (each is a dev dependency of the kit)", () => {
    const everything = readSandboxSettings(
      { store: "postgres://x@y/z", "uploads-url": "http://a:1/devstoreaccount1" },
      {},
    );
    expect(missingSandboxPackages(everything)).toEqual([]);
  });
});
