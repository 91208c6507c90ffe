/**
 * A GitLab CI file → the neutral model: jobs (not hidden templates) with their image, variables and
 * shells, after `default:`, `inherit:`, `extends:`, anchors, merge keys and `!reference`.
 * `include:` is not followed yet; includes are reported so a reader knows what was not seen.
 */
import type { Diagnostic } from '../../model/finding.ts';
import type { ImageRef, Job, Pipeline, ScriptLine, Shell, Variable } from '../../model/job.ts';
import { get, type LMap, type LNode, scalarText } from '../../yaml/located.ts';
import type { ParsedFile } from '../../yaml/parse.ts';
import { toScriptLine } from '../script-line.ts';
import { expandVariables } from '../variables.ts';
import { resolveExtends } from './extends.ts';
import { isMap } from './merge.ts';
import { flattenScript, type ReferenceContext } from './reference.ts';

/** Top-level keys that are not jobs (GitLab CI YAML reference, "Global keywords"). */
const GLOBAL_KEYWORDS = new Set([
  'default',
  'include',
  'stages',
  'variables',
  'workflow',
  'image',
  'services',
  'cache',
  'before_script',
  'after_script',
  'types',
  'spec',
]);

/** The keys of `default:` that a job inherits unless `inherit: default:` says otherwise. */
type DefaultKey = 'image' | 'before_script' | 'after_script';

export function resolveGitlabPipeline(file: ParsedFile): Pipeline {
  const diagnostics: Diagnostic[] = [];
  const pipeline: Pipeline = { path: file.path, dialect: 'gitlab', jobs: [], diagnostics };
  const root = pickConfigDocument(file);
  if (!root) return pipeline;
  if (root.kind !== 'map') {
    diagnostics.push({
      path: file.path,
      offset: root.range[0],
      severity: 'error',
      message: 'a GitLab CI file must be a mapping of jobs',
    });
    return pipeline;
  }

  const include = root.entries.get('include');
  if (include?.value) {
    diagnostics.push({
      path: file.path,
      offset: include.keyRange[0],
      severity: 'info',
      message: 'include: is not followed yet; jobs and templates from included files are not analysed',
    });
  }

  const definitions = new Map<string, LMap>();
  for (const [name, pair] of root.entries) {
    if (isMap(pair.value) && !GLOBAL_KEYWORDS.has(name)) definitions.set(name, pair.value);
  }
  const defaults = get(root, 'default');
  const globalVariables = readVariables(get(root, 'variables'), 'global');
  const refs: ReferenceContext = { root, diagnostics };
  const extendsCache = new Map<string, LMap>();

  for (const [name, pair] of root.entries) {
    if (GLOBAL_KEYWORDS.has(name) || name.startsWith('.') || !isMap(pair.value)) continue;
    const config = resolveExtends(name, definitions, diagnostics, extendsCache) ?? pair.value;
    if (get(config, 'trigger') !== undefined && get(config, 'script') === undefined) continue; // runs no script
    const inherit = get(config, 'inherit');
    const inherits = (key: DefaultKey) => inheritsKey(get(inherit, 'default'), key);
    const fromDefault = (key: DefaultKey): LNode | null | undefined => {
      const own = config.entries.get(key);
      if (own) return own.value;
      if (!inherits(key)) return undefined;
      return get(defaults, key) ?? get(root, key);
    };

    const variables = new Map<string, Variable>();
    const inheritVars = get(inherit, 'variables');
    for (const [k, v] of globalVariables) if (inheritsKey(inheritVars, k)) variables.set(k, v);
    for (const [k, v] of readVariables(get(config, 'variables'), 'job')) variables.set(k, v);

    const section = (key: string, value: LNode | null | undefined): ScriptLine[] =>
      flattenScript(value, refs).map((s) => toScriptLine(s, key));
    const shells: Shell[] = [];
    const main = [
      ...section('before_script', fromDefault('before_script')),
      ...section('script', get(config, 'script')),
    ];
    if (main.length > 0)
      shells.push({ kind: 'main', label: 'before_script + script', program: 'bash', lines: main });
    const after = section('after_script', fromDefault('after_script'));
    if (after.length > 0)
      shells.push({ kind: 'after', label: 'after_script', program: 'bash', lines: after });

    const job: Job = {
      name,
      path: file.path,
      span: { path: file.path, start: pair.keyRange[0], end: pair.keyRange[1] },
      variables,
      shells,
    };
    const image = readImage(fromDefault('image'), variables, config.entries.has('image') ? 'job' : 'default');
    if (image) job.image = image;
    pipeline.jobs.push(job);
  }
  return pipeline;
}

/** A file may start with a `spec:` header document; the pipeline is the document after it. */
function pickConfigDocument(file: ParsedFile): LNode | null {
  const roots = file.documents.map((d) => d.root).filter((r): r is LNode => r !== null);
  if (roots.length > 1 && get(roots[0], 'spec') !== undefined) return roots[1]!;
  return roots[0] ?? null;
}

/** `inherit: default: true | false | [keys]` (and the same for variables). */
function inheritsKey(setting: LNode | null | undefined, key: string): boolean {
  if (setting === undefined || setting === null) return true;
  if (setting.kind === 'scalar') return setting.value !== false;
  if (setting.kind === 'seq') return setting.items.some((i) => scalarText(i) === key);
  return true;
}

function readVariables(node: LNode | null | undefined, origin: Variable['origin']): Map<string, Variable> {
  const out = new Map<string, Variable>();
  if (!isMap(node)) return out;
  for (const [name, pair] of node.entries) {
    const v = pair.value;
    // `X: value` or `X: { value: …, description: … }`
    const valueNode = isMap(v) ? get(v, 'value') : v;
    const value = scalarText(valueNode) ?? '';
    const variable: Variable = { value, origin };
    if (valueNode)
      variable.span = { path: valueNode.path, start: valueNode.range[0], end: valueNode.range[1] };
    out.set(name, variable);
  }
  return out;
}

function readImage(
  node: LNode | null | undefined,
  variables: Map<string, Variable>,
  origin: string,
): ImageRef | undefined {
  const nameNode = isMap(node) ? get(node, 'name') : node;
  const raw = scalarText(nameNode);
  if (raw === undefined || nameNode == null) return undefined;
  const expanded = expandVariables(raw, (n) => variables.get(n)?.value);
  return {
    name: expanded.value,
    raw,
    span: { path: nameNode.path, start: nameNode.range[0], end: nameNode.range[1] },
    unresolved: expanded.unresolved,
    origin,
  };
}
