/**
 * A GitLab CI file → the neutral model: jobs (not hidden templates) with their image, variables and
 * shells, after `include:`, `default:`, `inherit:`, `extends:`, anchors, merge keys, `!reference`,
 * `spec: inputs` defaults and `parallel: matrix`.
 */

import { checkMemory } from '../../memory-guard.ts';
import type { Diagnostic } from '../../model/finding.ts';
import type { ImageRef, Job, Pipeline, ScriptLine, Shell, Variable } from '../../model/job.ts';
import { quoteName } from '../../model/quote.ts';
import { get, type LMap, type LNode, scalarText } from '../../yaml/located.ts';
import type { ParsedFile } from '../../yaml/parse.ts';
import { toScriptLine } from '../script-line.ts';
import { expandVariables } from '../variables.ts';
import { resolveExtends, undefinedParents } from './extends.ts';
import { configDocument, type IncludeHost, inputDefaults, resolveIncludes } from './include.ts';
import {
  type Combination,
  combinationLabel,
  combinationName,
  matrixCombinations,
  matrixMatters,
} from './matrix.ts';
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

export function resolveGitlabPipeline(file: ParsedFile, host?: IncludeHost): Pipeline {
  const diagnostics: Diagnostic[] = [];
  const pipeline: Pipeline = { path: file.path, dialect: 'gitlab', jobs: [], diagnostics, includedFiles: [] };
  const main = configDocument(file);
  if (!main) return pipeline;
  if (!isMap(main)) {
    diagnostics.push({
      path: file.path,
      offset: main.range[0],
      severity: 'error',
      message: 'a GitLab CI file must be a mapping of jobs',
    });
    return pipeline;
  }
  const included = resolveIncludes(file.path, main, host, diagnostics);
  pipeline.includedFiles = included.files;
  const root = included.root;
  const inputs = new Map(included.inputs);
  inputs.set(file.path, inputDefaults(file));
  /** `$[[ inputs.x ]]` with the inputs of the file the text lives in. */
  const interpolate = (text: string, node: LNode): string =>
    text.replace(
      /\$\[\[\s*inputs\.([A-Za-z0-9_-]+)[^\]]*\]\]/g,
      (whole, name: string) => inputs.get(node.path)?.get(name) ?? whole,
    );

  const definitions = new Map<string, LMap>();
  for (const [name, pair] of root.entries) {
    if (isMap(pair.value) && !GLOBAL_KEYWORDS.has(name)) definitions.set(name, pair.value);
  }
  const defaults = get(root, 'default');
  const globalVariables = readVariables(get(root, 'variables'), 'global', interpolate);
  const refs: ReferenceContext = { root, diagnostics };
  const extendsCache = new Map<string, LMap>();

  for (const [name, pair] of root.entries) {
    if (GLOBAL_KEYWORDS.has(name) || name.startsWith('.') || !isMap(pair.value)) continue;
    const config = resolveExtends(name, definitions, diagnostics, extendsCache) ?? pair.value;
    if (get(config, 'trigger') !== undefined && get(config, 'script') === undefined) continue; // runs no script
    if (rulesNeverAdd(get(config, 'rules'))) continue; // switched off (`rules: [{when: never}]`)
    const inherit = get(config, 'inherit');
    const fromDefault = (key: DefaultKey): LNode | null | undefined => {
      const own = config.entries.get(key);
      if (own) return own.value;
      if (!inheritsKey(get(inherit, 'default'), key)) return undefined;
      return get(defaults, key) ?? get(root, key);
    };

    const variables = new Map<string, Variable>();
    const inheritVars = get(inherit, 'variables');
    for (const [k, v] of globalVariables) if (inheritsKey(inheritVars, k)) variables.set(k, v);
    for (const [k, v] of readVariables(get(config, 'variables'), 'job', interpolate)) variables.set(k, v);

    const unread = included.unresolved.length > 0;
    refs.missing = [];
    /** A shell's lines; with an include unread, those after a `!reference` to nothing say so. */
    const shellLines = (...sections: [string, LNode | null | undefined][]): ScriptLine[] => {
      const lines: ScriptLine[] = [];
      const unseen: { name: string; from: number }[] = [];
      for (const [key, value] of sections) {
        const known = refs.missing!.length;
        const offset = lines.length;
        lines.push(...flattenScript(value, refs).map((s) => toScriptLine(s, key)));
        for (const { name: ref, at } of refs.missing!.slice(known))
          unseen.push({ name: ref, from: offset + at });
      }
      if (unread)
        for (const { name: ref, from } of unseen)
          for (const line of lines.slice(from))
            line.unseenBefore ??= `the shell runs ${quoteName(ref)} before this line, which an include ci-lint does not read may define`;
      return lines;
    };
    const shells: Shell[] = [];
    const mainLines = shellLines(
      ['before_script', fromDefault('before_script')],
      ['script', get(config, 'script')],
    );
    if (mainLines.length > 0)
      shells.push({ kind: 'main', label: 'before_script + script', program: 'bash', lines: mainLines });
    const after = shellLines(['after_script', fromDefault('after_script')]);
    if (after.length > 0) {
      const shell: Shell = { kind: 'after', label: 'after_script', program: 'bash', lines: after };
      // the runner ignores after_script's exit status unless AFTER_SCRIPT_IGNORE_ERRORS is false
      // (gitlab-org/gitlab#21008, gitlab-runner!4758: "The default is true … also … if there's a parse error")
      const ignore = variables.get('AFTER_SCRIPT_IGNORE_ERRORS')?.value;
      if (ignore === undefined || !/^(0|f|false)$/i.test(ignore.trim()))
        shell.failureIgnored = 'GitLab ignores a failing after_script';
      shells.push(shell);
    }

    const imageNode = fromDefault('image');
    const origin = config.entries.has('image') ? 'job' : 'default';
    const shown = interpolate(name, pair.value);
    const base: Job = {
      name: shown,
      label: quoteName(shown),
      path: file.path,
      span: { path: pair.value.path, start: pair.keyRange[0], end: pair.keyRange[1] },
      variables,
      shells,
    };
    if (imageNode == null && included.unresolved.length > 0) {
      base.unknownBecause = `the job names no image, and ${included.unresolved.length} unread include(s) may set one`;
    }
    const parents = unread ? undefinedParents(name, definitions) : [];
    if (parents.length > 0) {
      const names = parents.map(quoteName).join(', ');
      base.incomplete = `the job extends ${names}, which an include ci-lint does not read may define`;
    }
    const combos = matrixCombinations(get(config, 'parallel'));
    const imageRaw = scalarText(isMap(imageNode) ? get(imageNode, 'name') : imageNode);
    const jobs =
      combos.length > 0 && matrixMatters(combos, imageRaw)
        ? combos.map((c) => forCombination(base, c))
        : [base];
    for (const job of jobs) {
      checkMemory();
      // predefined by the runner, read by scripts (`if [[ "$CI_JOB_NAME" == *el8 ]]`); `parallel:` jobs are
      // named `job 1/3` or `job: [a, b]`, which only the legs split here know
      if ((get(config, 'parallel') === undefined || job !== base) && !job.variables.has('CI_JOB_NAME'))
        job.variables.set('CI_JOB_NAME', { value: job.name, origin: 'runner' });
      const image = readImage(imageNode, job.variables, origin, interpolate);
      if (image) job.image = image;
      pipeline.jobs.push(job);
    }
  }
  return pipeline;
}

function forCombination(base: Job, combo: Combination): Job {
  const variables = new Map(base.variables);
  for (const [n, v] of combo) variables.set(n, { value: v, origin: 'matrix' });
  return {
    ...base,
    name: combinationName(base.name, combo),
    label: `${quoteName(base.name)} [${combinationLabel(combo)}]`,
    variables,
  };
}

/** `inherit: default: true | false | [keys]` (and the same for variables). */
function inheritsKey(setting: LNode | null | undefined, key: string): boolean {
  if (setting === undefined || setting === null) return true;
  if (setting.kind === 'scalar') return setting.value !== false;
  if (setting.kind === 'seq') return setting.items.some((i) => scalarText(i) === key);
  return true;
}

function readVariables(
  node: LNode | null | undefined,
  origin: Variable['origin'],
  interpolate: (text: string, node: LNode) => string,
): Map<string, Variable> {
  const out = new Map<string, Variable>();
  if (!isMap(node)) return out;
  for (const [name, pair] of node.entries) {
    const v = pair.value;
    // `X: value` or `X: { value: …, description: … }`
    const valueNode = isMap(v) ? get(v, 'value') : v;
    const raw = scalarText(valueNode) ?? '';
    const value = valueNode ? interpolate(raw, valueNode) : raw;
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
  interpolate: (text: string, node: LNode) => string,
): ImageRef | undefined {
  const nameNode = isMap(node) ? get(node, 'name') : node;
  const written = scalarText(nameNode);
  if (written === undefined || nameNode == null) return undefined;
  const raw = interpolate(written, nameNode);
  const expanded = expandVariables(raw, (n) => variables.get(n)?.value);
  return {
    name: expanded.value,
    raw: written,
    span: { path: nameNode.path, start: nameNode.range[0], end: nameNode.range[1] },
    unresolved: expanded.unresolved,
    origin,
  };
}

/**
 * `rules:` that can never add the job to a pipeline: the first rule that always matches (no `if`,
 * `changes` or `exists`) says `when: never`, or every rule says it (a job no rule adds is left
 * out). Conditions are not evaluated: pipeline and project variables may override any value the
 * file gives, so a rule with one may match.
 */
function rulesNeverAdd(rules: LNode | null | undefined): boolean {
  if (rules?.kind !== 'seq' || rules.items.length === 0) return false;
  for (const rule of rules.items) {
    if (!isMap(rule)) return false; // a `!reference` to other rules: not known here
    if ((scalarText(get(rule, 'when')) ?? 'on_success') !== 'never') return false;
    if (!['if', 'changes', 'exists'].some((k) => rule.entries.has(k))) return true;
  }
  return true;
}
