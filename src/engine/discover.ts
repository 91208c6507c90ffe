/**
 * Finding CI files: named paths are always linted; directories (and the default, the working
 * directory) are searched for the conventional CI file names. Symlink loops and unreadable folders
 * are skipped with a diagnostic, never followed forever.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import type { Diagnostic } from '../model/finding.ts';
import { errnoText } from './read.ts';

/** Where CI files live by convention (DESIGN §7). */
export const DEFAULT_PATTERNS = [
  // at the top and in nested repositories alike (`ci-lint repos/` over an organisation's clones)
  '**/.gitlab-ci.yml',
  '**/.gitlab-ci.yaml',
  '**/.gitlab/**/*.yml',
  '**/.gitlab/**/*.yaml',
  '**/.github/workflows/*.yml',
  '**/.github/workflows/*.yaml',
  '**/action.yml',
  '**/action.yaml',
  // GitLab CI/CD component templates (linted with their input defaults); at the top only, since a
  // `templates/` folder deeper down is as likely to hold Helm charts
  'templates/*.yml',
  'templates/*/template.yml',
];
const SKIP_DIRS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '.venv',
  'venv',
  '.tox',
  'dist',
  'build',
  '.cache',
]);
const MAX_FILES = 100_000;

export interface Discovered {
  files: string[];
  diagnostics: Diagnostic[];
}

/** The default patterns as a matcher, compiled on the first folder walked (files named need none). */
let ciFileMatcher: picomatch.Matcher | undefined;
const isCiFile = (path: string) => {
  ciFileMatcher ??= picomatch(DEFAULT_PATTERNS, { dot: true });
  return ciFileMatcher(path);
};

export function discover(paths: string[], cwd: string, ignore: string[] = []): Discovered {
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const isIgnored = ignore.length > 0 ? picomatch(ignore, { dot: true }) : () => false;
  // one file under several spellings (`a.yml ./a.yml /abs/a.yml`, or named and found) is linted once
  const seen = new Set<string>();
  const add = (p: string) => {
    const key = resolve(cwd, p);
    if (!seen.has(key)) {
      seen.add(key);
      files.push(p);
    }
  };

  const walk = (dir: string, root: string, visited: Set<string>, top?: string) => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return;
    }
    if (visited.has(real)) return; // a symlink loop
    // a linked folder is followed only inside the tree being walked: `/proc/<pid>/cwd` and the like
    // lead to the whole file system, and a project's links to elsewhere are not its CI files
    const inside = top ?? real;
    if (real !== inside && !real.startsWith(inside === sep ? sep : `${inside}${sep}`)) return;
    visited.add(real);
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      diagnostics.push({
        path: dir,
        line: 1,
        column: 1,
        severity: 'error',
        message: `cannot read directory: ${errnoText(e)}`,
      });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (files.length >= MAX_FILES) return;
      const full = join(dir, e.name);
      const rel = relative(root, full).replace(/\\/g, '/');
      if (isIgnored(rel)) continue;
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const st = statSync(full);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDir && !SKIP_DIRS.has(e.name)) walk(full, root, visited, inside);
      else if (isFile && isCiFile(rel)) add(full);
    }
  };

  if (paths.length === 0) {
    walk(cwd, cwd, new Set());
    return { files: files.map((f) => relative(cwd, f) || f), diagnostics };
  }
  for (const p of paths) {
    let st: import('node:fs').Stats;
    try {
      st = statSync(p);
    } catch (e) {
      diagnostics.push({
        path: p,
        line: 1,
        column: 1,
        severity: 'error',
        message: `cannot read: ${errnoText(e)}`,
      });
      continue;
    }
    if (st.isDirectory()) {
      const before = files.length;
      walk(p, p, new Set());
      if (files.length === before)
        diagnostics.push({
          path: p,
          line: 1,
          column: 1,
          severity: 'info',
          message: 'no CI files found in this directory',
        });
    } else add(p);
  }
  return { files, diagnostics };
}
