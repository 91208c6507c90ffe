/** Resolves `extends:` (string or list, any depth, cycles reported) the way GitLab does. */
import type { Diagnostic } from '../../model/finding.ts';
import { oneLine, quoteName } from '../../model/quote.ts';
import { type LMap, scalarText } from '../../yaml/located.ts';
import { deepMergeAll } from './merge.ts';

/** GitLab's limit on extends nesting (docs: "up to 11 levels of inheritance"). */
export const MAX_EXTENDS_DEPTH = 11;

export function resolveExtends(
  name: string,
  definitions: ReadonlyMap<string, LMap>,
  diagnostics: Diagnostic[],
  cache = new Map<string, LMap>(),
  stack: string[] = [],
): LMap | undefined {
  const cached = cache.get(name);
  if (cached) return cached;
  const own = definitions.get(name);
  if (!own) return undefined;
  if (stack.includes(name)) {
    diagnostics.push({
      path: own.path,
      offset: own.range[0],
      severity: 'error',
      message: `extends cycle: ${oneLine([...stack, name].join(' → '))}`,
    });
    return own;
  }
  if (stack.length >= MAX_EXTENDS_DEPTH) {
    diagnostics.push({
      path: own.path,
      offset: own.range[0],
      severity: 'error',
      message: `extends nests deeper than GitLab's limit of ${MAX_EXTENDS_DEPTH} levels at ${quoteName(name)}`,
    });
    return own;
  }
  const ext = own.entries.get('extends');
  const merging: LMap[] = [];
  for (const parentName of parentsOf(own)) {
    const parent = resolveExtends(parentName, definitions, diagnostics, cache, [...stack, name]);
    if (!parent) {
      diagnostics.push({
        path: own.path,
        offset: ext!.keyRange[0],
        // info, not error: the template may come from an include ci-lint cannot read
        severity: 'info',
        message: `${quoteName(name)} extends ${quoteName(parentName)}, which is not defined in this pipeline`,
      });
      continue;
    }
    merging.push(parent);
  }
  // one n-way merge: folding pairwise would copy the accumulated maps once per parent
  const result = deepMergeAll([...merging, own]);
  cache.set(name, result);
  return result;
}

/** The names an `extends:` lists (a string or a list). */
function parentsOf(own: LMap): string[] {
  const ext = own.entries.get('extends')?.value;
  const names = ext?.kind === 'seq' ? ext.items.map((i) => scalarText(i)) : [scalarText(ext)];
  return names.filter((n): n is string => n !== undefined && n !== '');
}

/**
 * The templates `name`'s `extends:` chain names that this pipeline does not define: GitLab takes
 * them from an include, so where an include is not read, what they bring is not known.
 */
export function undefinedParents(name: string, definitions: ReadonlyMap<string, LMap>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const todo = [name];
  while (todo.length > 0 && seen.size <= MAX_EXTENDS_DEPTH * 8) {
    const next = todo.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    const own = definitions.get(next);
    if (own) todo.push(...parentsOf(own));
    else out.push(next);
  }
  return out;
}
