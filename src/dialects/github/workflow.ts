/**
 * A GitHub Actions workflow → the neutral model: one job per `jobs:` entry (one per matrix
 * combination when the matrix changes the runner, the container, the environment or the scripts),
 * with its runner or container image, its env (workflow, job) and one shell per `run:` step.
 * Reusable workflows (`on: workflow_call`) are read with their input defaults (a runner taken from
 * one is only the likely one: callers pass their own); jobs that call
 * another workflow (`uses:`) run elsewhere and have no steps here.
 */

import { checkMemory } from '../../memory-guard.ts';
import type { Diagnostic } from '../../model/finding.ts';
import type { ImageRef, Job, Pipeline, RunnerRef, Shell } from '../../model/job.ts';
import { cutInMiddle, quoteName } from '../../model/quote.ts';
import { get, type LMap, type LNode, scalarText } from '../../yaml/located.ts';
import type { ParsedFile } from '../../yaml/parse.ts';
import { isMap } from '../gitlab/merge.ts';
import { conditionHolds } from './condition.ts';
import { type ExpressionContext, evaluate } from './expressions.ts';
import { type Combination, expandMatrix } from './matrix.ts';
import { type ActionHost, RUNNER_OS, readEnv, type StepsContext, stepsToShells } from './steps.ts';

export function resolveGithubWorkflow(file: ParsedFile, host?: ActionHost): Pipeline {
  const diagnostics: Diagnostic[] = [];
  const pipeline: Pipeline = {
    path: file.path,
    dialect: 'github-workflow',
    jobs: [],
    diagnostics,
    includedFiles: [],
  };
  const root = file.documents[0]?.root;
  if (!isMap(root)) return pipeline;
  const on = root.entries.get('on')?.value ?? root.entries.get('true')?.value;
  const inputs = workflowInputs(on);
  const jobs = get(root, 'jobs');
  if (!isMap(jobs)) return pipeline;
  for (const [id, pair] of jobs.entries) {
    const config = pair.value;
    if (!isMap(config) || get(config, 'uses') !== undefined) continue;
    // a job switched off (`if: false`); its `if:` sees neither the matrix nor known inputs
    if (conditionHolds(scalarText(get(config, 'if')), {}) === false) continue;
    const { combos, dynamic } = expandMatrix(get(get(config, 'strategy'), 'matrix'));
    const split = combos.length > 0 && mentionsMatrix(config);
    for (const combo of split ? combos : [undefined]) {
      const job = resolveJob(
        id,
        pair.keyRange,
        config,
        root,
        combo,
        dynamic,
        inputs,
        file,
        host,
        pipeline,
        diagnostics,
      );
      checkMemory();
      if (dynamic) job.unknownBecause ??= 'its matrix is computed by an expression ci-lint cannot evaluate';
      pipeline.jobs.push(job);
    }
  }
  return pipeline;
}

/**
 * A matrix value as a job's name shows it: on one line (a script by its first line), a long one cut
 * in the middle, whose two ends tell the legs apart (`registry.opensuse.org/…/opensuse/tumbleweed`).
 */
function shownValue(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const line = lines.length > 1 ? `${lines[0]} …` : (lines[0] ?? '');
  return cutInMiddle(line, 60, 30, 25);
}

function resolveJob(
  id: string,
  keyRange: [number, number],
  config: LMap,
  root: LMap,
  combo: Combination | undefined,
  dynamic: boolean,
  inputs: WorkflowInputs,
  file: ParsedFile,
  host: ActionHost | undefined,
  pipeline: Pipeline,
  diagnostics: Diagnostic[],
): Job {
  // a matrix computed at run time has no values here; with none at all, `matrix.x` is empty
  const matrix = combo ?? (dynamic ? undefined : new Map<string, LNode | null>());
  const base: ExpressionContext = { ...(matrix ? { matrix } : {}), inputs: inputs.defaults };
  const variables = readEnv(get(root, 'env'), 'workflow', base);
  const envValues = () => new Map([...variables].map(([k, v]) => [k, v.value]));
  for (const [k, v] of readEnv(get(config, 'env'), 'job', { ...base, env: envValues() })) variables.set(k, v);
  const expr: ExpressionContext = { ...base, env: envValues() };

  const runner = readRunner(get(config, 'runs-on'), expr, inputs.reusable);
  const image = readContainer(get(config, 'container'), expr);
  // `container: env:` is set when the container is made; the workflow's and job's env, given to each
  // step, win over it (GitHub's workflow syntax, jobs.<job_id>.container.env)
  if (image)
    for (const [k, v] of readEnv(get(get(config, 'container'), 'env'), 'container', expr))
      if (!variables.has(k)) variables.set(k, v);
  const os: StepsContext['os'] = image ? 'linux' : runnerOs(runner);
  // the runner gives every step RUNNER_OS (containers included): `if [ "$RUNNER_OS" = Linux ]` reads it
  const osName = RUNNER_OS[os];
  if (osName && !variables.has('RUNNER_OS')) variables.set('RUNNER_OS', { value: osName, origin: 'runner' });
  const shells: Shell[] = [];
  const defaultShell =
    scalarText(get(get(get(config, 'defaults'), 'run'), 'shell')) ??
    scalarText(get(get(get(root, 'defaults'), 'run'), 'shell'));
  const defaultWorkingDirectory =
    scalarText(get(get(get(config, 'defaults'), 'run'), 'working-directory')) ??
    scalarText(get(get(get(root, 'defaults'), 'run'), 'working-directory'));
  const ctx: StepsContext = {
    expr,
    os,
    diagnostics,
    includedFiles: pipeline.includedFiles,
    depth: 0,
    ...(defaultShell ? { defaultShell } : {}),
    ...(defaultWorkingDirectory ? { defaultWorkingDirectory } : {}),
    ...(host ? { host } : {}),
  };
  stepsToShells(get(config, 'steps'), ctx, shells, []);

  // scalar values name a combination, as GitHub's job names do
  const short: [string, string][] = [];
  for (const [k, v] of combo ?? []) {
    const t = scalarText(v);
    if (t !== undefined) short.push([k, shownValue(t)]);
  }
  const job: Job = {
    name: combo ? `${id} (${short.map(([, t]) => t).join(', ')})` : id,
    label: combo ? `${quoteName(id)} [${short.map(([k, t]) => `${k}=${t}`).join(', ')}]` : quoteName(id),
    path: file.path,
    span: { path: file.path, start: keyRange[0], end: keyRange[1] },
    variables,
    shells,
  };
  if (image) job.image = image;
  if (runner) job.runner = runner;
  return job;
}

/** The inputs a workflow runs with: their defaults, and whether callers pass their own (`workflow_call`). */
interface WorkflowInputs {
  defaults: Map<string, string>;
  reusable: boolean;
}

/** `on: workflow_call: inputs: {x: {default: …}}` (or `workflow_dispatch`) → the defaults it runs with. */
function workflowInputs(on: LNode | null | undefined): WorkflowInputs {
  const defaults = new Map<string, string>();
  const reusable = get(on, 'workflow_call') !== undefined;
  const declared = get(get(on, 'workflow_call'), 'inputs') ?? get(get(on, 'workflow_dispatch'), 'inputs');
  if (!isMap(declared)) return { defaults, reusable };
  for (const [name, p] of declared.entries) {
    const def = scalarText(get(p.value, 'default'));
    if (def !== undefined) defaults.set(name, def);
  }
  return { defaults, reusable };
}

/** `matrix.` used where it changes the verdict: runs-on, container, env, steps. */
function mentionsMatrix(config: LMap): boolean {
  const seen = new Set<LNode>();
  const walk = (node: LNode | null | undefined, budget: { n: number }): boolean => {
    if (!node || seen.has(node) || --budget.n < 0) return false;
    seen.add(node);
    if (node.kind === 'scalar') return /\$\{\{[^}]*\bmatrix\./.test(scalarText(node) ?? '');
    if (node.kind === 'seq') return node.items.some((i) => walk(i, budget));
    // a step's `if:` is an expression even without `${{ }}`
    const condition = scalarText(get(node, 'if'));
    if (condition !== undefined && /\bmatrix\./.test(condition)) return true;
    return [...node.entries.values()].some((p) => walk(p.value, budget));
  };
  return ['runs-on', 'container', 'env', 'steps', 'defaults'].some((k) =>
    walk(get(config, k), { n: 20_000 }),
  );
}

function readRunner(
  node: LNode | null | undefined,
  expr: ExpressionContext,
  reusable: boolean,
): RunnerRef | undefined {
  if (!node) return undefined;
  const raw: LNode[] =
    node.kind === 'seq'
      ? node.items.filter((i): i is LNode => i !== null)
      : isMap(node)
        ? [get(node, 'labels')].flatMap((l) =>
            l?.kind === 'seq' ? l.items.filter((i): i is LNode => i !== null) : l ? [l] : [],
          )
        : [node];
  let unresolved = isMap(node) && get(node, 'labels') === undefined; // `group:` alone: a custom runner
  const labels: string[] = [];
  let fromInputs = false;
  for (const n of raw) {
    const text = scalarText(n) ?? '';
    fromInputs ||= /\binputs\./.test(text);
    const v = evaluate(text, expr);
    if (v.unresolved) unresolved = true;
    else labels.push(v.value);
  }
  const runner: RunnerRef = {
    labels,
    span: { path: node.path, start: node.range[0], end: node.range[1] },
    unresolved,
  };
  // a reusable workflow runs with its callers' inputs: a default is what a caller that passes none gets
  if (reusable && fromInputs) runner.assumed = "runs-on takes an input's default, which a caller may replace";
  return runner;
}

function readContainer(node: LNode | null | undefined, expr: ExpressionContext): ImageRef | undefined {
  const imageNode = isMap(node) ? get(node, 'image') : node;
  const written = scalarText(imageNode);
  if (written === undefined || !imageNode || written === '') return undefined;
  const v = evaluate(written, expr);
  if (v.value.trim() === '') return undefined; // `container: ${{ matrix.container }}` empty for some combinations
  return {
    name: v.value,
    raw: written,
    span: { path: imageNode.path, start: imageNode.range[0], end: imageNode.range[1] },
    unresolved: v.unresolved ? [written] : [],
    origin: 'container',
  };
}

function runnerOs(runner: RunnerRef | undefined): StepsContext['os'] {
  const l = (runner?.labels ?? []).join(' ').toLowerCase();
  if (/windows/.test(l)) return 'windows';
  if (/macos/.test(l)) return 'macos';
  if (/ubuntu|linux/.test(l)) return 'linux';
  return 'unknown';
}
