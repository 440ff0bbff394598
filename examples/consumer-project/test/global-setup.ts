import { startSimulator } from "sds-contract-kit";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Where the simulated Graph lives, version included: what `baseUrl` is in production. */
    graphBaseUrl: string;
  }
}

/**
 * Starts sds-contract-kit's simulator once for the run, on a free port, with provisioning and each
 * sync phase shortened from seconds to a fraction of one, and stops it (and the blob emulator it
 * starts for uploads) when the run ends.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const simulator = await startSimulator({
    port: 0,
    timing: { provisioningMs: 300, syncPhaseMs: 200, deletionMs: 300 },
  });
  project.provide("graphBaseUrl", `${simulator.url}/beta`);
  return () => simulator.close();
}
