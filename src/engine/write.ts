/**
 * Writing a fixed file safely: a temporary file in the same folder, with the original's mode, then
 * an atomic rename over it — a crash leaves either the old file or the new one, never half of each.
 */
import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function writeFileAtomic(path: string, text: string): void {
  const mode = statSync(path).mode & 0o7777;
  const tmp = join(dirname(path), `.${basename(path)}.ci-lint-${process.pid}-${Date.now().toString(36)}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, text, null, 'utf8');
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (e) {
    unlinkSync(tmp);
    throw e;
  }
}
