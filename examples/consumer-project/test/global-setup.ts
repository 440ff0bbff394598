import { startSimulator } from "sds-contract-kit";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Where the simulated Graph lives, version included: what `baseUrl` is in production. */
    graphBaseUrl: string;
  }
}

/**
 * Starts sds-contract-kit's simulator once for the run, on a free port, over https (Microsoft's
 * Graph SDK sends its token over https only), with provisioning and each sync phase shortened from
 * seconds to a fraction of one, and stops it (and the blob emulator it starts for uploads) when
 * the run ends.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const simulator = await startSimulator({
    port: 0,
    https: true,
    timing: { provisioningMs: 300, syncPhaseMs: 200, deletionMs: 300 },
  });
  // Node reads this when a process starts: the test workers, started after this setup, trust the
  // simulator's certificate authority, for our fetch calls and the Graph SDK's alike.
  process.env.NODE_EXTRA_CA_CERTS = simulator.caCertificatePath;
  project.provide("graphBaseUrl", `${simulator.url}/beta`);
  return () => simulator.close();
}
