/**
 * A GitHub job's (or composite action's) `steps:` → shells: every `run:` is a shell of its own,
 * with its `shell:` program, its `env:`, and the setup steps (`uses:`) that ran before it. Local
 * composite actions (`uses: ./path`) are inlined, with their lines in the action's own file.
 */
import { join } from 'node:path';
import { type SetupEffect, setupEffect } from '../../environment/setup-actions.ts';
import type { Diagnostic } from '../../model/finding.ts';
import type { Shell, Variable } from '../../model/job.ts';
import { quoteName } from '../../model/quote.ts';
import { get, type LMap, type LNode, type LScalar, scalarText } from '../../yaml/located.ts';
import type { ParsedFile } from '../../yaml/parse.ts';
import { isMap } from '../gitlab/merge.ts';
import { actionScriptLine, toScriptLine } from '../script-line.ts';
import { type ConditionContext, conditionHolds } from './condition.ts';
import { type ExpressionContext, evaluate, expressionNode } from './expressions.ts';
import { withExpressionValues } from './run-script.ts';

export const MAX_ACTION_DEPTH = 10;

export interface ActionHost {
  /** Reads and parses a file (path relative to the working directory). */
  load(path: string): ParsedFile | { error: string };
  /** The repository root that `uses: ./x` is relative to. */
  repoRoot: string;
}

export interface StepsContext {
  expr: ExpressionContext;
  /** `defaults.run.shell` of the job or workflow. */
  defaultShell?: string;
  /** `defaults.run.working-directory` of the job or workflow. */
  defaultWorkingDirectory?: string;
  os: 'linux' | 'macos' | 'windows' | 'unknown';
  host?: ActionHost;
  diagnostics: Diagnostic[];
  includedFiles: string[];
  depth: number;
}

/** `bash -el {0}` → { program: 'bash', login: true }; `pwsh` → { program: 'pwsh' }. */
export function shellProgram(
  spec: string | undefined,
  os: StepsContext['os'],
): { program: string; login: boolean } {
  if (!spec) return { program: os === 'windows' ? 'pwsh' : 'bash', login: false };
  const words = spec.trim().split(/\s+/);
  const program = (words[0] ?? '').replace(/^.*\//, '');
  const login = words.slice(1).some((w) => /^-[a-z]*l[a-z]*$/.test(w) || w === '--login');
  return { program, login };
}

export function readEnv(
  node: LNode | null | undefined,
  origin: Variable['origin'],
  expr: ExpressionContext,
): Map<string, Variable> {
  const out = new Map<string, Variable>();
  if (!isMap(node)) return out;
  for (const [name, pair] of node.entries) {
    const raw = scalarText(pair.value) ?? '';
    const value = evaluate(raw, expr);
    const v: Variable = { value: value.unresolved ? raw : value.value, origin };
    if (pair.value) v.span = { path: pair.value.path, start: pair.value.range[0], end: pair.value.range[1] };
    out.set(name, v);
  }
  return out;
}

/** Appends the shells of `steps` to `out`; setup effects waiting for the next shell are in `pending`. */
export function stepsToShells(
  steps: LNode | null | undefined,
  ctx: StepsContext,
  out: Shell[],
  pending: SetupEffect[],
): void {
  if (steps?.kind !== 'seq') return;
  steps.items.forEach((step, index) => {
    if (!isMap(step)) return;
    // a step whose `if:` is false in this combination does not run (one it cannot evaluate may)
    const condition = scalarText(get(step, 'if'));
    if (condition !== undefined && conditionHolds(condition, conditionContext(ctx)) === false) return;
    const uses = scalarText(get(step, 'uses'));
    if (uses !== undefined) {
      const withInputs = new Map<string, string>();
      const given = get(step, 'with');
      if (isMap(given))
        for (const [k, p] of given.entries)
          withInputs.set(k, evaluate(scalarText(p.value) ?? '', ctx.expr).value);
      if (uses.startsWith('./')) inlineLocalAction(uses, withInputs, ctx, out, pending);
      else {
        const effect = setupEffect(uses, withInputs);
        if (effect) pending.push(effect);
        if (effect?.kind === 'system' && effect.setup)
          out.push(actionSetupShell(effect, step, index, pending));
      }
      return;
    }
    const run = get(step, 'run');
    if (run?.kind !== 'scalar') return;
    const script = scriptNode(run, ctx.expr);
    const spec = scalarText(get(step, 'shell')) ?? ctx.defaultShell;
    const { program, login } = shellProgram(spec, ctx.os);
    const name = scalarText(get(step, 'name')) ?? scalarText(get(step, 'id'));
    const shell: Shell = {
      kind: 'step',
      label: `step ${index + 1}${name ? ` ${quoteName(name)}` : ''}`,
      program,
      lines: [withExpressionValues(toScriptLine(script, `steps[${index}].run`), runContext(ctx))],
      env: readEnv(get(step, 'env'), 'step', ctx.expr),
      before: pending.splice(0),
    };
    if (login) shell.login = true;
    const tolerated = scalarText(get(step, 'continue-on-error'));
    if (tolerated !== undefined && evaluate(tolerated, ctx.expr).value === 'true')
      shell.failureIgnored = 'the step has `continue-on-error: true`';
    const dir = scalarText(get(step, 'working-directory')) ?? ctx.defaultWorkingDirectory;
    if (dir !== undefined) shell.workingDirectory = evaluate(dir, ctx.expr).value;
    out.push(shell);
  });
}

/** The script an action runs in the system it set up (setup-alpine's `packages:`), as a shell of that system. */
function actionSetupShell(
  effect: Extract<SetupEffect, { kind: 'system' }>,
  step: LMap,
  index: number,
  pending: SetupEffect[],
): Shell {
  const { input, script } = effect.setup!;
  const node = get(get(step, 'with'), input) ?? get(step, 'uses');
  const at = { path: node!.path, start: node!.range[0], end: node!.range[1] };
  return {
    kind: 'step',
    label: `step ${index + 1} (${effect.by} ${input})`,
    program: effect.shellName,
    lines: [actionScriptLine(script, at, `steps[${index}].with.${input}`)],
    before: pending.splice(0),
  };
}

/**
 * What a `run:` script's expressions may read: as a step's `if:`, not `env` (an earlier step may
 * change it through `$GITHUB_ENV`), and a workflow's or lone action's inputs are only defaults.
 */
function runContext(ctx: StepsContext): ExpressionContext {
  const { matrix, inputs } = ctx.expr;
  return { ...(matrix ? { matrix } : {}), ...(inputs && ctx.depth > 0 ? { inputs } : {}) };
}

/**
 * What a step's `if:` may read. Not `env`: an earlier step may change it through `$GITHUB_ENV`. A
 * workflow's inputs, and a lone action's, are only defaults that its caller or a manual run may
 * override; an inlined action's are what its caller passed.
 */
function conditionContext(ctx: StepsContext): ConditionContext {
  const { matrix, inputs } = ctx.expr;
  const runnerOs = RUNNER_OS[ctx.os];
  return {
    ...(matrix ? { matrix } : {}),
    ...(inputs && ctx.depth > 0 ? { inputs } : {}),
    ...(runnerOs ? { runnerOs } : {}),
  };
}

/** `runner.os` (and the `RUNNER_OS` variable of every step) as GitHub spells it. */
export const RUNNER_OS: Record<StepsContext['os'], string | undefined> = {
  linux: 'Linux',
  macos: 'macOS',
  windows: 'Windows',
  unknown: undefined,
};

/** `run: ${{ matrix.setup }}`: the script is the matrix value, where it is written. */
function scriptNode(run: LScalar, expr: ExpressionContext): LScalar {
  const text = scalarText(run) ?? '';
  const node = expressionNode(text, expr);
  return node?.kind === 'scalar' ? node : run;
}

function inlineLocalAction(
  uses: string,
  withInputs: Map<string, string>,
  ctx: StepsContext,
  out: Shell[],
  pending: SetupEffect[],
): void {
  if (!ctx.host || ctx.depth >= MAX_ACTION_DEPTH) return;
  const dir = join(ctx.host.repoRoot, uses.replace(/^\.\//, '').replace(/@.*$/, ''));
  let loaded: ParsedFile | { error: string } = { error: 'not found' };
  let path = '';
  for (const name of ['action.yml', 'action.yaml']) {
    path = join(dir, name);
    loaded = ctx.host.load(path);
    if (!('error' in loaded)) break;
  }
  if ('error' in loaded) return; // the action may be created by an earlier step; nothing to inline
  const root = loaded.documents[0]?.root;
  if (!isMap(root) || scalarText(get(get(root, 'runs'), 'using')) !== 'composite') return;
  if (!ctx.includedFiles.includes(path)) ctx.includedFiles.push(path);
  const inputs = actionInputs(root, withInputs, ctx.expr);
  // the workflow's `defaults.run` do not reach the steps of an action
  const { defaultWorkingDirectory: _, ...inherited } = ctx;
  stepsToShells(
    get(get(root, 'runs'), 'steps'),
    { ...inherited, expr: { ...ctx.expr, inputs }, depth: ctx.depth + 1 },
    out,
    pending,
  );
}

/** An action's inputs: the caller's `with:` values over the declared defaults. */
export function actionInputs(
  root: LMap,
  given: Map<string, string>,
  expr: ExpressionContext,
): Map<string, string> {
  const out = new Map<string, string>();
  const declared = get(root, 'inputs');
  if (isMap(declared)) {
    for (const [name, p] of declared.entries) {
      const def = scalarText(get(p.value, 'default'));
      if (def !== undefined) out.set(name, evaluate(def, expr).value);
    }
  }
  for (const [k, v] of given) out.set(k, v);
  return out;
}
