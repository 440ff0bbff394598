import { closeSync, fstatSync, openSync, readSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { UsageError } from "./args.js";

/**
 * The largest file a command reads (a pact, a payload). The kit's own pact is about 100 kB and a
 * payload a few; a file past this is a mistake (a log, a dump), refused before it is read.
 */
export const maxInputBytes = 50 * 1024 * 1024;

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** Why a file cannot be used, in words: what the error code means for a user. */
function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "there is no such file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "it is a directory";
    case "ENOTDIR":
      return "a part of its path is not a directory";
    default:
      return code ?? (error instanceof Error ? error.message : String(error));
  }
}

/**
 * Reads a file a command was given as text, or refuses it in one line (a UsageError): missing,
 * unreadable, a directory, or over {@link maxInputBytes}, which is found before anything is read
 * (from the file's size) or, for a pipe, as soon as the limit is passed.
 */
export function readInputFile(file: string, what: string, limit = maxInputBytes): string {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${file}: ${reason(error)}`);
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw new UsageError(`cannot read ${what} ${file}: it is a directory`);
    if (stats.size > limit)
      throw new UsageError(`${what} ${file} is ${megabytes(stats.size)}, over the ${megabytes(limit)} limit`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      let read: number;
      try {
        read = readSync(fd, chunk, 0, chunk.length, null);
      } catch (error) {
        throw new UsageError(`cannot read ${what} ${file}: ${reason(error)}`);
      }
      if (read === 0) break;
      total += read;
      if (total > limit) throw new UsageError(`${what} ${file} is over the ${megabytes(limit)} limit`);
      chunks.push(chunk.subarray(0, read));
    }
    return Buffer.concat(chunks).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/** Reads a stream (standard input) as text, refusing it in one line once it passes `limit`. */
export async function readInputStream(
  stream: AsyncIterable<Buffer | string>,
  what: string,
  limit = maxInputBytes,
): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    total += bytes.length;
    if (total > limit) throw new UsageError(`${what} is over the ${megabytes(limit)} limit`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Fails in one line, before any work, if `file` cannot be written: it is a directory, or its
 * folder does not exist. (What only the write can find, such as a full disk, {@link writeOutputFile} says.)
 */
export function checkOutputFile(file: string, what: string): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(file).isDirectory();
  } catch {
    // Not there yet: its folder must be.
    let folder: ReturnType<typeof statSync> | undefined;
    try {
      folder = statSync(dirname(file));
    } catch (error) {
      throw new UsageError(
        `cannot write ${what} ${file}: its folder ${dirname(file)} cannot be used (${reason(error)})`,
      );
    }
    if (!folder?.isDirectory())
      throw new UsageError(`cannot write ${what} ${file}: ${dirname(file)} is not a directory`);
  }
  if (isDirectory) throw new UsageError(`cannot write ${what} ${file}: it is a directory`);
}

/** Writes a command's output file, or refuses in one line. */
export function writeOutputFile(file: string, text: string, what: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    throw new UsageError(`cannot write ${what} ${file}: ${reason(error)}`);
  }
}
