/** Where a command writes: the process's streams, or a test's. */
export interface CliStreams {
  stdout: { write(chunk: string): unknown };
  /** `isTTY` decides whether progress is drawn. */
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
}
