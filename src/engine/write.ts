/**
 * Writing a fixed file safely:
 * - a temporary file in the same folder, with the original's mode, owner and group, then an atomic
 *   rename over it —
 *   a crash leaves either the old file or the new one, never half of each;
 * - not at all when the file changed on disk since it was read (someone else is editing it), or is
 *   read-only for the user;
 * - through a symlink only when its target is inside the project root, and then to the target, so
 *   the link stays a link.
 */
import {
  accessSync,
  closeSync,
  constants,
  fchownSync,
  fsyncSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export class WriteRefused extends Error {}

export function writeFixed(path: string, expectedBefore: string, text: string, projectRoot: string): void {
  const target = realpathSync(path);
  // a file named directly is written wherever it is; only a link must stay inside the project
  const isLink = target !== realpathSync(dirname(resolve(path))) + sep + basename(path);
  const root = realpathSync(resolve(projectRoot));
  const rel = relative(root, target);
  if (isLink && (rel.startsWith('..') || isAbsolute(rel))) {
    throw new WriteRefused(`not written: it is a link to ${target}, outside the project (${root})`);
  }
  // a rename would replace a file its owner made read-only (or one the user may only read): refuse, as an editor would
  try {
    accessSync(target, constants.W_OK);
  } catch {
    throw new WriteRefused('not written: the file is read-only for this user');
  }
  // the file as it is now must be the text the fixes were computed from
  const now = new TextDecoder('utf-8', { ignoreBOM: true }).decode(readFileSync(target));
  if (now !== expectedBefore)
    throw new WriteRefused('not written: the file changed on disk while ci-lint was running');
  writeFileAtomic(target, text);
}

export function writeFileAtomic(path: string, text: string): void {
  const before = statSync(path);
  const mode = before.mode & 0o7777;
  const tmp = join(dirname(path), `.${basename(path)}.ci-lint-${process.pid}-${Date.now().toString(36)}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, text, null, 'utf8');
    // the new file is the old one's: same owner and group (as root a fix must not hand files to root)
    if (before.uid !== process.getuid?.() || before.gid !== process.getgid?.()) {
      try {
        fchownSync(fd, before.uid, before.gid);
      } catch {} // only root may give a file away; a user's own file keeps them anyway
    }
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
