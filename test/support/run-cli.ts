import { runCli } from "../../src/cli/main.js";

/** Runs the CLI in process, with what it wrote to stdout and stderr. */
export async function runCliCaptured(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
  });
  return { code, stdout, stderr };
}
