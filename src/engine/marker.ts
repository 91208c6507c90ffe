/**
 * Which Python's EXTERNALLY-MANAGED marker a command takes away. One answer for the simulation (with
 * the marker gone pip checks nothing: pip-behaviour.md M01) and for the externally-managed-marker-removed
 * rule, so that a removal the rule does not report never silences a later pip either.
 */
import { MARKER } from '../shell/classify.ts';
import { basename, type Command, foundPaths, inShellString } from '../shell/commands.ts';
import { textIndex, type Word } from '../shell/tokenize.ts';

export interface RemovedMarker {
  /** The marker as the command names it: a glob as written, `START/**\/EXTERNALLY-MANAGED` for find. */
  path: string;
  /** One literal path, which names one Python's folder (no glob, no expansion, not a search). */
  literal: boolean;
  /** The Python version a literal folder names (`/usr/lib/python3.11/…` → `3.11`). */
  version?: string;
}

const GLOB = /[*?[]/;

/**
 * Folders a `find` searches that hold a distribution's or Homebrew's stdlib folders (Debian, Ubuntu,
 * Alpine and Arch: `/usr/lib/python3.X/EXTERNALLY-MANAGED`; Homebrew: under its Cellar).
 */
const SYSTEM_ROOTS = new Set([
  '',
  '/usr',
  '/usr/lib',
  '/usr/lib64',
  '/lib',
  '/usr/local',
  '/usr/local/lib',
  '/usr/local/Cellar',
  '/opt/homebrew',
  '/opt/homebrew/Cellar',
]);

/**
 * The marker this command removes, if any: `rm`/`unlink` of it, `mv` with it as a *source* (moving a
 * file *to* that name puts a marker back), `find … -name EXTERNALLY-MANAGED -delete` or `-exec rm {} ;`.
 * Only where the folder can be a Python's stdlib: one naming python, a glob, an expansion, a bare name
 * (after `cd`), or a search from `/`, `/usr`, `/usr/lib` …; not `/tmp/EXTERNALLY-MANAGED` or a copied
 * interpreter in `$VENV`. A glob in quotes is not expanded by the shell: it matches no file.
 */
export function removedMarker(command: Command, lineText: string): RemovedMarker | undefined {
  const program = basename(command.argv[0]?.value ?? '');
  const args = command.argv.slice(1);
  if (program === 'find')
    return args.some((w) => w.value === '-delete') ? searched(foundPaths(command.argv)) : undefined;
  const shellString = inShellString(command);
  for (const w of operands(program, args)) {
    if (w.value === '{}' && command.found) {
      const found = searched(command.found);
      if (found) return found;
      continue;
    }
    if (!MARKER.test(w.value)) continue;
    const dir = w.value.slice(0, Math.max(w.value.lastIndexOf('/'), 0));
    const written = [...w.value];
    const glob = written.some(
      (c, k) => GLOB.test(c) && (shellString || !quotedAt(lineText, w.start, textIndex(w, k))),
    );
    if (written.some((c) => GLOB.test(c)) && !glob) continue; // a quoted glob matches nothing
    if (dir !== '' && !/python/i.test(dir) && !glob && !w.dynamic) continue;
    const literal = !glob && !w.dynamic;
    return withVersion({ path: w.value, literal }, literal ? dir : '');
  }
  return undefined;
}

/** The words rm/unlink/mv act on as sources: operands, and for mv all but the destination. */
function operands(program: string, args: Word[]): Word[] {
  const dd = args.findIndex((w) => w.value === '--');
  const isOperand = (w: Word, k: number) => (dd !== -1 && k > dd) || (k !== dd && !w.value.startsWith('-'));
  const all = args.filter(isOperand);
  if (program !== 'mv') return all;
  const t = args.findIndex(
    (w, k) => (dd === -1 || k < dd) && (w.value === '-t' || w.value === '--target-directory'),
  );
  const withTarget = args.some(
    (w) => w.value.startsWith('--target-directory=') || /^-[a-zA-Z]*t./.test(w.value),
  );
  // `mv -t DIR SRC…`: every operand but DIR is a source; otherwise the last operand is the destination
  if (t !== -1) return all.filter((w) => w !== args[t + 1]);
  return withTarget ? all : all.slice(0, -1);
}

/** What `find START … -name EXTERNALLY-MANAGED` removes, from the pattern `START/**\/NAME`. */
function searched(found: string): RemovedMarker | undefined {
  if (!MARKER.test(found)) return undefined;
  const start = found.slice(0, found.lastIndexOf('/**/'));
  const python = /python/i.test(start) && (!start.startsWith('$') || /^(\$\(|`)\s*python/.test(start));
  if (!SYSTEM_ROOTS.has(start) && !python) return undefined;
  return withVersion({ path: found, literal: false }, GLOB.test(start) ? '' : start);
}

function withVersion(removed: RemovedMarker, folder: string): RemovedMarker {
  const version = /python(\d+\.\d+)(\/|$)/.exec(folder)?.[1];
  if (version !== undefined) removed.version = version;
  return removed;
}

/** True when text offset `at`, inside the word that starts at `start`, is quoted or escaped. */
function quotedAt(text: string, start: number, at: number): boolean {
  let quote: string | null = null;
  for (let i = start; i < at; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = null;
    } else if (c === '\\') {
      if (i + 1 === at) return true;
      i++;
    } else if (quote === '"') {
      if (c === '"') quote = null;
    } else if (c === '"' || c === "'") quote = c;
  }
  return quote !== null;
}
