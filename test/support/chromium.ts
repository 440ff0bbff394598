import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type BrowserContext, chromium } from "playwright-core";
import type { TestProject } from "vitest/node";

/**
 * Headless Chromium for the end-to-end tier: Debian's package, driven by playwright-core (which
 * downloads no browser of its own). The tier's globalSetup installs it when it is missing and the
 * tests run as root on Debian (as CI does); anywhere else it says what to install, and the tests
 * that need it fail with that message.
 */
export const chromiumPath = "/usr/bin/chromium";

export type ChromiumAvailability = { path: string } | { missing: string };

declare module "vitest" {
  export interface ProvidedContext {
    chromium: ChromiumAvailability;
  }
}

const run = promisify(execFile);

export async function ensureChromium(): Promise<ChromiumAvailability> {
  if (existsSync(chromiumPath)) return { path: chromiumPath };
  const root = process.getuid?.() === 0;
  if (process.platform !== "linux" || !root || !existsSync("/usr/bin/apt-get"))
    return {
      missing: `Chromium is not at ${chromiumPath}; install Debian's package as root: apt-get update && apt-get install -y chromium`,
    };
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  process.stderr.write(`e2e setup: ${chromiumPath} is missing; apt-get install -y chromium (about 2 minutes)\n`);
  try {
    await run("apt-get", ["update"], { env, maxBuffer: 64 * 1024 * 1024 });
    await run("apt-get", ["install", "-y", "chromium"], { env, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const failed = error as { stderr?: string; message?: string };
    return {
      missing: `apt-get install chromium failed: ${(failed.stderr || failed.message || "").trim().slice(-500)}`,
    };
  }
  return existsSync(chromiumPath)
    ? { path: chromiumPath }
    : { missing: `apt-get installed chromium, but ${chromiumPath} is still missing` };
}

/** The e2e tier's globalSetup: Chromium before any test starts, so that installing it competes with no test. */
export default async function setup(project: TestProject): Promise<void> {
  project.provide("chromium", await ensureChromium());
}

/** Launch arguments: headless, and nothing of Chromium's own that would reach the network. */
const args = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * A fresh browser on a throwaway profile, in which every request that does not go to this
 * machine's loopback (or to a data: or blob: URL) is aborted and recorded in `blocked`.
 */
export async function launchOffline(
  availability: ChromiumAvailability,
): Promise<{ context: BrowserContext; blocked: string[]; close(): Promise<void> }> {
  if ("missing" in availability) throw new Error(availability.missing);
  const profile = await mkdtemp(join(tmpdir(), "sds-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: availability.path,
    headless: true,
    args,
    viewport: { width: 1400, height: 900 },
    serviceWorkers: "block",
  });
  const blocked: string[] = [];
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    const local = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
    if (local || url.protocol === "data:" || url.protocol === "blob:") return route.continue();
    blocked.push(url.href);
    return route.abort("blockedbyclient");
  });
  return {
    context,
    blocked,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
