/**
 * Reading a file the user or a pipeline points at, safely: only regular files (a FIFO would block
 * forever, /dev/zero never ends), and only up to the size limit, checked before reading a byte.
 */
import { readFileSync, statSync } from 'node:fs';
import { LineIndex } from '../model/span.ts';
import { DEFAULT_MAX_BYTES, tooLargeMessage } from '../yaml/decode.ts';

export type ReadOutcome =
  | { bytes: Uint8Array }
  /** `code`: the file system's error (ENOENT …); `tooLarge`: the file is there, over the limit. */
  | { error: string; code?: string; tooLarge?: true };

export function readLimited(path: string, maxBytes = DEFAULT_MAX_BYTES): ReadOutcome {
  try {
    // a missing file is common (a Makefile or script the job may create): no exception for it
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return { error: 'cannot read file: no such file or directory (ENOENT)', code: 'ENOENT' };
    if (!stat.isFile()) return { error: 'not a regular file (a FIFO, device or socket); not read' };
    if (stat.size > maxBytes) return { error: tooLargeMessage(stat.size, maxBytes), tooLarge: true };
    return { bytes: readFileSync(path) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: `cannot read file: ${errnoText(e)}`, ...(code ? { code } : {}) };
  }
}

/** Line and column of `offset` in the file at `path` (1:1 when it cannot be read: it may be a FIFO). */
export function positionInFile(path: string, offset: number): { line: number; column: number } {
  const read = offset > 0 ? readLimited(path) : undefined;
  if (!read || 'error' in read) return { line: 1, column: 1 };
  return new LineIndex(Buffer.from(read.bytes).toString('utf8')).position(offset);
}

const ERRNO_WORDS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  ENXIO: 'no such device',
  EMFILE: 'too many open files',
};

/** A file system error in words, with its code to search for (`no such file or directory (ENOENT)`). */
export function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === undefined) return e instanceof Error ? e.message : String(e);
  const words = ERRNO_WORDS[code];
  return words ? `${words} (${code})` : code;
}
