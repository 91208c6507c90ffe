/**
 * One in-memory document (an editor buffer, a playground text box) through the CLI's own entry: the
 * settings come from `planRun` (flags + `.ci-lint.yml`) and the run from `check` with the text as
 * standard input, exactly as `ci-lint --stdin-filename PATH [--diff]` does. The language server and
 * the playground call these two functions and nothing below them.
 */
import type { Applicability } from '../model/finding.ts';
import { type CheckResult, check } from './check.ts';
import { type Inspection, inspectBytes } from './inspect.ts';
import { planRun, type RunPlan, type UserOptions } from './settings.ts';
import { Sources } from './sources.ts';

export interface DocumentInput {
  /** The file's path: it picks the dialect, the project root for includes and the config (upward). */
  path: string;
  text: string;
  /** Where the config search starts, as the CLI's working directory does. */
  cwd: string;
  /** The flags a CLI user would give (`fixStrategy`, `dialect`, `select`, `defaultImage`, …). */
  flags?: Omit<UserOptions, 'cwd' | 'paths'>;
}

export interface DocumentRun {
  plan: RunPlan;
  result: CheckResult;
}

/** `ci-lint --stdin-filename PATH`; with `fixes`, also `--diff` (the fixed text is in `result.fixed`). */
export function checkDocument(input: DocumentInput, fixes?: { minimum: Applicability }): DocumentRun {
  const plan = planRun(
    { cwd: input.cwd, paths: [input.path], ...input.flags },
    fixes ? { minimum: fixes.minimum, write: false } : undefined,
  );
  plan.settings.stdin = { path: input.path, bytes: new TextEncoder().encode(input.text) };
  return { plan, result: check(plan.settings) };
}

/** `ci-lint inspect PATH` on the text: each job's Python verdict with its evidence, line by line. */
export function inspectDocument(input: DocumentInput): Inspection {
  const { settings } = planRun({ cwd: input.cwd, paths: [input.path], ...input.flags });
  return inspectBytes(input.path, new TextEncoder().encode(input.text), new Sources(), settings);
}
