/**
 * Reading the files a pipeline pulls in: the include host for GitLab (`local:` paths are relative
 * to the project root), backed by the file system and recorded in the run's Sources so findings in
 * included files get their positions.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { IncludeHost } from '../dialects/gitlab/include.ts';
import type { ScriptLine } from '../model/job.ts';
import { decodeSource } from '../yaml/decode.ts';
import { type ParsedFile, parseYamlText } from '../yaml/parse.ts';
import { readLimited } from './read.ts';
import type { ScriptLoader } from './simulate.ts';
import type { Sources } from './sources.ts';

const SKIP = new Set(['node_modules', '.git']);
const MAX_LISTED = 20_000;

/** The folder holding `.gitlab-ci.yml`; else the git root above the file; else the file's folder. */
export function projectRootFor(path: string, explicit?: string): string {
  if (explicit) return explicit;
  const dir = dirname(path);
  if (/^\.gitlab-ci\.ya?ml$/.test(basename(path))) return dir;
  let at = resolve(dir);
  for (;;) {
    if (existsSync(join(at, '.git'))) return relative(process.cwd(), at) || '.';
    const up = dirname(at);
    if (up === at) return dir;
    at = up;
  }
}

/** The repository a GitHub file belongs to: the folder above `.github/`, else the git root. */
export function repoRootFor(path: string, explicit?: string): string {
  if (explicit) return explicit;
  const m = /^(.*?)(?:^|\/)\.github\//.exec(path.replace(/\\/g, '/'));
  if (m) return m[1] === '' ? '.' : m[1]!;
  return projectRootFor(path);
}

export function fileIncludeHost(projectRoot: string, sources: Sources): IncludeHost {
  const cache = new Map<string, ParsedFile | { error: string }>();
  return {
    projectRoot,
    load(path) {
      const hit = cache.get(path);
      if (hit) return hit;
      const out = loadIncluded(path, projectRoot, sources);
      cache.set(path, out);
      return out;
    },
    listFiles() {
      const out: string[] = [];
      const walk = (dir: string, depth: number) => {
        if (depth > 20 || out.length > MAX_LISTED) return;
        let entries: import('node:fs').Dirent[];
        try {
          entries = readdirSync(join(projectRoot, dir), { withFileTypes: true });
        } catch {
          return;
        }
        for (const e of entries) {
          const rel = dir ? `${dir}/${e.name}` : e.name;
          if (e.isDirectory() && !SKIP.has(e.name)) walk(rel, depth + 1);
          else if (e.isFile()) out.push(rel);
        }
      };
      walk('', 0);
      return out;
    },
  };
}

function loadIncluded(path: string, projectRoot: string, sources: Sources): ParsedFile | { error: string } {
  // a repository's files only: `local: ../../../dev/zero` is not one
  const rel = relative(resolve(projectRoot), resolve(path));
  if (rel.startsWith('..') || isAbsolute(rel)) return { error: 'outside the project root' };
  const read = readLimited(path);
  if ('error' in read) return { error: read.code === 'ENOENT' ? 'no such file' : (read.code ?? read.error) };
  const decoded = decodeSource(read.bytes);
  if (!decoded.ok) return { error: decoded.error.message };
  sources.add(path, decoded.value.text);
  const parsed = parseYamlText(path, decoded.value.text);
  return parsed.errors.length > 0 ? { error: `invalid YAML: ${parsed.errors[0]!.message}` } : parsed;
}

const MAX_SCRIPT_BYTES = 1024 * 1024;

/**
 * Shell scripts a job runs from the repository (`./ci/setup.sh`), read relative to the project
 * root, as one script line each (offsets are the file's own). Only shell scripts: a `.sh`/`.bash`
 * name or a `#!…sh` first line — or, asked for a makefile, the file whatever its name.
 */
export function scriptLoader(root: string, sources: Sources): ScriptLoader {
  const cache = new Map<string, ScriptLine | null>();
  return (rel, kind = 'shell') => {
    const path = join(root, rel);
    const key = `${kind}:${path}`;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    let line: ScriptLine | null = null;
    const read = readLimited(path, MAX_SCRIPT_BYTES);
    // not there (yet): the job may create it; nothing to follow
    if ('bytes' in read) {
      const decoded = decodeSource(read.bytes);
      if (decoded.ok) {
        const text = decoded.value.text;
        if (kind === 'makefile' || /\.(sh|bash)$/.test(path) || /^#!\S*(\/|\s)(ba|da|z)?sh\b/.test(text)) {
          sources.add(path, text);
          const offsets = Array.from({ length: text.length + 1 }, (_, i) => i);
          line = {
            path,
            text,
            offsets,
            style: 'literal',
            exact: true,
            span: { path, start: 0, end: text.length },
            section: 'script file',
          };
        }
      }
    }
    cache.set(key, line);
    return line;
  };
}
