/**
 * Directories as a script moves between them: `cd`, a GitHub step's `working-directory`, paths
 * relative to the directory the shell is in. A directory is project-relative (`''` is the project
 * root, `ci/tools` is below it), or null when it cannot be known (absolute, outside the project,
 * dynamic).
 */

/** `$CI_PROJECT_DIR`, `$GITHUB_WORKSPACE`, `${{ github.workspace }}`, `$PWD` at the start: the project root. */
const PROJECT_ROOT = /^(\$\{?(CI_PROJECT_DIR|GITHUB_WORKSPACE)\}?|\$\{\{\s*github\.workspace\s*\}\})(\/|$)/;

/**
 * The project-relative path that `path` (a directory or a file) names when the shell is in `cwd`, or null when unknown.
 * `cd` with no argument, `cd -`, `~`, absolute paths and other variables are unknown.
 */
export function resolvePath(cwd: string | null, path: string | null): string | null {
  if (path === null || path === '' || path === '-' || path.startsWith('~')) return null;
  const root = PROJECT_ROOT.exec(path);
  if (root) return normalize('', path.slice(root[0].length));
  const rel = path.replace(/^\$\{?PWD\}?(\/|$)/, '');
  if (cwd === null || rel.startsWith('/') || rel.includes('$') || /[*?[]/.test(rel)) return null;
  return normalize(cwd, rel);
}

/** `base/rel` with `.` and `..` folded; null when it leaves the project. */
function normalize(base: string, rel: string): string | null {
  const parts = base === '' ? [] : base.split('/');
  for (const p of rel.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(p);
  }
  return parts.join('/');
}

/** A path from the project-relative directory `from` to `to` (`a/b` → `a/c` is `../c`). */
export function relativePath(from: string, to: string): string {
  const f = from === '' ? [] : from.split('/');
  const t = to === '' ? [] : to.split('/');
  let common = 0;
  while (common < f.length && common < t.length && f[common] === t[common]) common++;
  const up = f.slice(common).map(() => '..');
  return [...up, ...t.slice(common)].join('/') || '.';
}
