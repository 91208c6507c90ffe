/**
 * From user options (CLI flags, Action inputs) and `.ci-lint.yml` to the settings of a run, and
 * from a run's result to the exit verdict. One place, so the CLI and the GitHub Action agree.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { RULES } from '../../rules/index.ts';
import type { Applicability, FixStrategy, Severity } from '../model/finding.ts';
import { SEVERITY_RANK } from '../model/finding.ts';
import type { Dialect } from '../model/job.ts';
import type { CheckSettings } from './check.ts';
import { type Config, emptyConfig, type FailOn, FIX_STRATEGIES, findConfig, loadConfig } from './config.ts';
import type { Rule } from './rule.ts';

export class UsageError extends Error {}

export interface UserOptions {
  cwd: string;
  paths: string[];
  config?: string;
  defaultImage?: string;
  dialect?: string;
  select?: string;
  ignore?: string;
  failOn?: string;
  fixStrategy?: string;
  root?: string;
}

export interface RunPlan {
  settings: CheckSettings;
  failOn: FailOn;
  strategy: FixStrategy;
  config: Config;
}

export const DIALECTS = ['gitlab', 'github-workflow', 'github-action'] as const;
export const FAIL_ON = ['error', 'warning', 'info', 'never'] as const;

export function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (!allowed.includes(value as T))
    throw new UsageError(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

export function readConfig(cwd: string, explicit?: string): Config {
  const known = new Set(RULES.map((r) => r.id));
  const path = explicit || findConfig(cwd);
  return path ? loadConfig(path, known) : emptyConfig();
}

function ruleList(s: string | undefined): string[] {
  return (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

function selectRules(config: Config, select: string[], ignore: string[]): Rule[] {
  const known = new Set(RULES.map((r) => r.id));
  for (const id of [...select, ...ignore])
    if (!known.has(id)) throw new UsageError(`unknown rule "${id}" (see \`ci-lint rules\`)`);
  return RULES.filter(
    (r) =>
      (select.length === 0 || select.includes(r.id)) &&
      !ignore.includes(r.id) &&
      config.rules.get(r.id) !== 'off',
  );
}

export function environmentOptions(config: Config, defaultImage: string | undefined) {
  const image = defaultImage || config.defaultImage;
  return { ...(image ? { defaultImage: image } : {}), declarations: config.images };
}

export function planRun(options: UserOptions, fix?: { minimum: Applicability; write: boolean }): RunPlan {
  const config = readConfig(options.cwd, options.config);
  const failOn = oneOf('fail-on', options.failOn, FAIL_ON) ?? config.failOn ?? 'error';
  const strategy = oneOf('fix-strategy', options.fixStrategy, FIX_STRATEGIES) ?? config.fixStrategy ?? 'venv';
  const dialect = oneOf('dialect', options.dialect, DIALECTS);
  if (options.root && !statSync(resolve(options.cwd, options.root), { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`root ${options.root} is not a folder`);
  const severityOverride = new Map<string, Severity>();
  for (const [id, level] of config.rules) if (level !== 'off') severityOverride.set(id, level);
  const settings: CheckSettings = {
    cwd: options.cwd,
    paths: options.paths,
    ignore: config.ignore,
    rules: selectRules(config, ruleList(options.select), ruleList(options.ignore)),
    severityOverride,
    environment: environmentOptions(config, options.defaultImage),
    strategies: [strategy, ...FIX_STRATEGIES.filter((s) => s !== strategy)],
    ...(dialect ? { dialect: dialect as Dialect } : {}),
    ...(options.root ? { root: options.root } : {}),
    ...(fix ? { fix: { strategy, ...fix } } : {}),
  };
  return { settings, failOn, strategy, config };
}

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** 2 when an input could not be read or parsed; 1 when a finding reaches `failOn`; else 0. */
export function exitCode(
  result: { findings: readonly { severity: Severity }[]; diagnostics: readonly { severity: string }[] },
  failOn: FailOn,
): number {
  if (result.diagnostics.some((d) => d.severity === 'error')) return EXIT_USAGE;
  if (failOn === 'never') return EXIT_CLEAN;
  const threshold = SEVERITY_RANK[failOn];
  return result.findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? EXIT_FINDINGS : EXIT_CLEAN;
}
