import { execFileSync } from "node:child_process";

/** How often a server started through npx looks whether npx is still there. */
const launcherPollMs = 1000;
/** How far up the process tree the npm (npx) process that started this one may be: npm, then `sh -c`. */
const launcherSearchDepth = 4;

/**
 * The pid of the npm process (npx, `npm exec`, `npm run`) that started this one, when npm did: npm
 * sets `npm_execpath` for what it starts. npx does not pass SIGTERM on to the command it runs (it
 * runs it under `sh -c`), so `npx sds-kit mock &` then `kill $!` stops npx alone; the server watches
 * npx instead, and stops when it is gone. Undefined when npm did not start it, or `ps` cannot say.
 */
function npmLauncherPid(): number | undefined {
  if (process.env.npm_execpath === undefined) return undefined;
  let pid = process.ppid;
  for (let depth = 0; depth < launcherSearchDepth && pid > 1; depth += 1) {
    let line: string;
    try {
      line = execFileSync("ps", ["-o", "ppid=,args=", "-p", String(pid)], { encoding: "utf8", stdio: "pipe" }).trim();
    } catch {
      return undefined;
    }
    const [, parent, args = ""] = /^(\d+)\s+(.*)$/s.exec(line) ?? [];
    if (/(^|[\s/])(npm|npx)(\s|$)|np[mx]-cli\.js/.test(args)) return pid;
    pid = Number(parent);
  }
  return undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Resolves with what stops a server command, said for its `stopped (…)` line: the first SIGINT or
 * SIGTERM, or, for one started through npx, npx's exit (`npx sds-kit mock &` then `kill $!` stops
 * the server too). Stops listening for both once one comes.
 */
export function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const stop = (why: string) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      clearInterval(timer);
      resolve(why);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    // Looked up once the signals are handled: a signal that comes meanwhile is not lost.
    const launcher = npmLauncherPid();
    if (launcher !== undefined) {
      timer = setInterval(() => {
        if (!isRunning(launcher)) stop(`npm, PID ${launcher}, which started it, has gone`);
      }, launcherPollMs);
      timer.unref();
    }
  });
}

/** How long a server command lets the requests in flight finish after a stop signal. */
export const drainMs = 10_000;

/**
 * Runs a stop that lets the requests in flight finish, cut short by another SIGINT or SIGTERM: the
 * first signal drains, a second one stops at once (and still exits through the stop, so the
 * children it started are stopped too).
 */
export async function drainUnlessSignalledAgain(stop: (abort: AbortSignal) => Promise<void>): Promise<void> {
  const again = new AbortController();
  const abort = () => again.abort();
  process.on("SIGINT", abort);
  process.on("SIGTERM", abort);
  try {
    await stop(again.signal);
  } finally {
    process.off("SIGINT", abort);
    process.off("SIGTERM", abort);
  }
}
