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
    if (!stat) return { error: 'cannot read file: ENOENT', code: 'ENOENT' };
    if (!stat.isFile()) return { error: 'not a regular file (a FIFO, device or socket); not read' };
    if (stat.size > maxBytes) return { error: tooLargeMessage(stat.size, maxBytes), tooLarge: true };
    return { bytes: readFileSync(path) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    return { error: `cannot read file: ${code}`, code };
  }
}

/** Line and column of `offset` in the file at `path` (1:1 when it cannot be read: it may be a FIFO). */
export function positionInFile(path: string, offset: number): { line: number; column: number } {
  const read = offset > 0 ? readLimited(path) : undefined;
  if (!read || 'error' in read) return { line: 1, column: 1 };
  return new LineIndex(Buffer.from(read.bytes).toString('utf8')).position(offset);
}
