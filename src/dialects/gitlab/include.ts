/**
 * `include:` the way GitLab reads it: local files (a string, a list, `local:` with `*`/`**`
 * wildcards), nested includes, each file at most once, paths relative to the project root. Files
 * are merged in order, then the including file over them (hashes deep-merge). Remote, project,
 * template and component includes cannot be read offline: each is reported, and the pipeline
 * remembers that parts of it are unseen.
 */
import { join } from 'node:path';
import picomatch from 'picomatch';
import type { Diagnostic } from '../../model/finding.ts';
import { get, type LMap, type LNode, scalarText } from '../../yaml/located.ts';
import type { ParsedFile } from '../../yaml/parse.ts';
import { isMap, MergedMap } from './merge.ts';

/** GitLab's limits (docs: "CI/CD YAML syntax reference", include). */
export const MAX_INCLUDES = 150;
export const MAX_INCLUDE_DEPTH = 100;

export interface IncludeHost {
  /** Folder that `local:` paths are relative to. */
  projectRoot: string;
  /** Reads and parses a file (path relative to the working directory, like every path here). */
  load(path: string): ParsedFile | { error: string };
  /** Files under the project root, relative to it, for wildcard includes. */
  listFiles(): string[];
}

export interface IncludeResult {
  /** The merged top-level mapping of the whole pipeline. */
  root: LMap;
  /** Every local file read through an include, in order. */
  files: string[];
  /** Includes that could not be read (remote, project, template, component, missing). */
  unresolved: string[];
  /** `inputs:` given to each included file, by path. */
  inputs: Map<string, Map<string, string>>;
}

interface Entry {
  kind: 'local' | 'remote' | 'project' | 'template' | 'component';
  value: string;
  node: LNode;
  inputs: Map<string, string>;
}

/**
 * A file with what it includes merged under it. `merge` is the merge that made `map`, when one did:
 * the including file carries it on rather than merging its result again, so a deep chain of
 * includes costs its size once, not once per level.
 */
interface Visited {
  map: LMap;
  merge?: MergedMap;
}

export function resolveIncludes(
  mainPath: string,
  main: LMap,
  host: IncludeHost | undefined,
  diagnostics: Diagnostic[],
): IncludeResult {
  const result: IncludeResult = { root: main, files: [], unresolved: [], inputs: new Map() };
  const seen = new Set<string>([mainPath]);
  let fileList: string[] | undefined;

  const visit = (config: LMap, depth: number): Visited => {
    const includeNode = get(config, 'include');
    if (includeNode === undefined || includeNode === null) return { map: config };
    // the included files in order, then this file over them
    let merge: MergedMap | undefined;
    const include = (below: Visited) => {
      if (!merge) merge = below.merge?.carriedOn() ?? new MergedMap(below.map);
      else merge.over(below.map);
    };
    const done = (): Visited | undefined =>
      merge && { map: merge.over(without(config, 'include')).map, merge };
    for (const entry of readEntries(includeNode)) {
      if (entry.kind !== 'local') {
        result.unresolved.push(`${entry.kind}: ${entry.value}`);
        diagnostics.push({
          path: entry.node.path,
          offset: entry.node.range[0],
          severity: 'info',
          message: `${entry.kind} include ${entry.value} is not read (ci-lint works offline); jobs that rely on it are judged "unknown"`,
        });
        continue;
      }
      if (!host) {
        result.unresolved.push(`local: ${entry.value}`);
        continue;
      }
      const paths = expandLocal(entry.value, host, () => {
        fileList ??= host.listFiles();
        return fileList;
      });
      if (paths.length === 0) {
        result.unresolved.push(`local: ${entry.value}`);
        diagnostics.push({
          path: entry.node.path,
          offset: entry.node.range[0],
          severity: 'error',
          message: `no file matches include ${entry.value}`,
        });
        continue;
      }
      for (const file of paths) {
        if (seen.has(file)) continue; // each file once, as GitLab does
        seen.add(file);
        if (seen.size > MAX_INCLUDES + 1 || depth >= MAX_INCLUDE_DEPTH) {
          diagnostics.push({
            path: entry.node.path,
            offset: entry.node.range[0],
            severity: 'error',
            message: `more than ${MAX_INCLUDES} includes or deeper than ${MAX_INCLUDE_DEPTH} levels; the rest is not read`,
          });
          return done() ?? { map: config };
        }
        const loaded = host.load(file);
        if ('error' in loaded) {
          result.unresolved.push(`local: ${file}`);
          diagnostics.push({
            path: entry.node.path,
            offset: entry.node.range[0],
            severity: 'error',
            message: `cannot include ${file}: ${loaded.error}`,
          });
          continue;
        }
        const root = configDocument(loaded);
        if (!isMap(root)) continue;
        result.files.push(file);
        result.inputs.set(file, new Map([...inputDefaults(loaded), ...entry.inputs]));
        include(visit(root, depth + 1));
      }
    }
    return done() ?? { map: without(config, 'include') };
  };

  result.root = visit(main, 0).map;
  return result;
}

/** A file may start with a `spec:` header document; its configuration is the document after it. */
export function configDocument(file: ParsedFile): LNode | null {
  const roots = file.documents.map((d) => d.root).filter((r): r is LNode => r !== null);
  if (roots.length > 1 && get(roots[0], 'spec') !== undefined) return roots[1]!;
  return roots[0] ?? null;
}

/** The `spec: inputs:` defaults of a file with a header document. */
export function inputDefaults(file: ParsedFile): Map<string, string> {
  const out = new Map<string, string>();
  const roots = file.documents.map((d) => d.root);
  if (roots.length < 2) return out;
  const inputs = get(get(roots[0], 'spec'), 'inputs');
  if (!isMap(inputs)) return out;
  for (const [name, pair] of inputs.entries) {
    const def = get(pair.value, 'default');
    const text = scalarText(def);
    if (text !== undefined) out.set(name, text);
  }
  return out;
}

function without(map: LMap, key: string): LMap {
  if (!map.entries.has(key)) return map;
  const entries = new Map(map.entries);
  entries.delete(key);
  return { ...map, entries };
}

function readEntries(node: LNode): Entry[] {
  const items = node.kind === 'seq' ? node.items : [node];
  const out: Entry[] = [];
  for (const item of items) {
    if (!item) continue;
    if (item.kind === 'scalar') {
      const v = scalarText(item) ?? '';
      out.push({
        kind: /^https?:\/\//.test(v) ? 'remote' : 'local',
        value: v,
        node: item,
        inputs: new Map(),
      });
      continue;
    }
    if (!isMap(item)) continue;
    const inputs = new Map<string, string>();
    const given = get(item, 'inputs');
    if (isMap(given)) for (const [k, p] of given.entries) inputs.set(k, scalarText(p.value) ?? '');
    for (const kind of ['local', 'remote', 'project', 'template', 'component'] as const) {
      const v = item.entries.get(kind);
      if (!v) continue;
      let value = scalarText(v.value) ?? '';
      if (kind === 'project') {
        const file = get(item, 'file');
        const files =
          file?.kind === 'seq' ? file.items.map((i) => scalarText(i)).join(', ') : scalarText(file);
        value = `${value} (${files ?? '?'})`;
      }
      out.push({ kind, value, node: v.value ?? item, inputs });
      break;
    }
  }
  return out;
}

/** `ci/jobs.yml`, `/ci/jobs.yml`, `ci/*.yml`, `ci/**.yml` → existing files (relative to the working directory). */
function expandLocal(pattern: string, host: IncludeHost, list: () => string[]): string[] {
  const rel = pattern.replace(/^\/+/, '');
  if (!rel.includes('*')) return [join(host.projectRoot, rel)];
  // GitLab: `*` stays in one folder, `**` crosses folders
  const glob = rel.replace(/\*\*(?!\/)/g, '**/*');
  const isMatch = picomatch(glob, { dot: true });
  return list()
    .filter((f) => isMatch(f))
    .sort()
    .map((f) => join(host.projectRoot, f));
}
