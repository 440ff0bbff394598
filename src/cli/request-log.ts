import type { AnsweredRequest } from "../../mocks/simulator/metrics.js";
import { importPart } from "../parts/optional-parts.js";
import type { CliStreams } from "./streams.js";

/** Writes one log line for each answered request. */
export type RequestLog = (answered: AnsweredRequest) => void;

/**
 * One JSON line per answered request (`pino`, an optional part), with the request id a client
 * reads in an error's body, so a team that reports a failure by its request id finds it in the
 * sandbox's logs. A 5xx is logged at `error`, the rest at `info`.
 */
export async function jsonRequestLog(stdout: CliStreams["stdout"], service: string): Promise<RequestLog> {
  const { pino } = await importPart("jsonLogs", () => import("pino"));
  const logger = pino(
    { base: { service }, timestamp: pino.stdTimeFunctions.isoTime },
    { write: (line: string) => void stdout.write(line) },
  );
  return (answered) => {
    const { durationMs, ...rest } = answered;
    const fields = { ...rest, durationMs: Math.round(durationMs * 10) / 10 };
    if (answered.status >= 500) logger.error(fields, "request");
    else logger.info(fields, "request");
  };
}
