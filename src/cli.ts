#!/usr/bin/env node
/** Command-line wiring only: parse flags, load config, call the engine, pick a reporter, exit. */
import { readFileSync, writeFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { RULES } from '../rules/index.ts';
import { check } from './engine/check.ts';
import {
  type Config,
  ConfigError,
  emptyConfig,
  FIX_STRATEGIES,
  findConfig,
  loadConfig,
} from './engine/config.ts';
import { inspectBytes, renderInspection } from './engine/inspect.ts';
import { docsUrl, type Rule } from './engine/rule.ts';
import { Sources } from './engine/sources.ts';
import type { Applicability, FixStrategy, Severity } from './model/finding.ts';
import { SEVERITY_RANK } from './model/finding.ts';
import type { Dialect } from './model/job.ts';
import { LineIndex } from './model/span.ts';
import { renderJson } from './reporters/json.ts';
import { renderDiagnostics, renderText } from './reporters/text.ts';
import { VERSION } from './version.ts';

const EXIT_CLEAN = 0;
const EXIT_FINDINGS = 1;
const EXIT_USAGE = 2;

class UsageError extends Error {}

interface LintFlags {
  format: string;
  output?: string;
  config?: string;
  defaultImage?: string;
  dialect?: string;
  select?: string;
  ignore?: string;
  failOn?: string;
  fix?: boolean;
  unsafeFixes?: boolean;
  diff?: boolean;
  fixStrategy?: string;
  stdinFilename?: string;
  root?: string;
  quiet?: boolean;
  color: boolean;
}

function loadSettingsConfig(flags: { config?: string }): Config {
  const known = new Set(RULES.map((r) => r.id));
  const path = flags.config ?? findConfig(process.cwd());
  return path ? loadConfig(path, known) : emptyConfig();
}

function selectRules(config: Config, flags: LintFlags): Rule[] {
  const known = new Set(RULES.map((r) => r.id));
  const list = (s: string | undefined) =>
    s
      ? s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
      : [];
  const select = list(flags.select);
  const ignore = list(flags.ignore);
  for (const id of [...select, ...ignore])
    if (!known.has(id)) throw new UsageError(`unknown rule "${id}" (see \`ci-lint rules\`)`);
  return RULES.filter(
    (r) =>
      (select.length === 0 || select.includes(r.id)) &&
      !ignore.includes(r.id) &&
      config.rules.get(r.id) !== 'off',
  );
}

function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T))
    throw new UsageError(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

function environmentOptions(config: Config, defaultImage: string | undefined) {
  const image = defaultImage ?? config.defaultImage;
  return { ...(image ? { defaultImage: image } : {}), declarations: config.images };
}

function lintCommand(paths: string[], flags: LintFlags): number {
  const config = loadSettingsConfig(flags);
  const format = oneOf('--format', flags.format, ['text', 'json'] as const)!;
  const failOn =
    oneOf('--fail-on', flags.failOn, ['error', 'warning', 'info', 'never'] as const) ??
    config.failOn ??
    'error';
  const strategy = oneOf('--fix-strategy', flags.fixStrategy, FIX_STRATEGIES) ?? config.fixStrategy ?? 'venv';
  const dialect = oneOf('--dialect', flags.dialect, ['gitlab', 'github-workflow', 'github-action'] as const);
  if (flags.stdinFilename && (flags.fix || flags.unsafeFixes) && !flags.diff)
    throw new UsageError('--fix cannot write to standard input; use --diff');
  const severityOverride = new Map<string, Severity>();
  for (const [id, level] of config.rules) if (level !== 'off') severityOverride.set(id, level);
  const strategies: FixStrategy[] = [strategy, ...FIX_STRATEGIES.filter((s) => s !== strategy)];
  const wantsFix = flags.fix || flags.unsafeFixes || flags.diff;
  const minimum: Applicability = flags.unsafeFixes ? 'unsafe' : 'safe';

  const result = check({
    cwd: process.cwd(),
    paths,
    ignore: config.ignore,
    rules: selectRules(config, flags),
    severityOverride,
    environment: environmentOptions(config, flags.defaultImage),
    strategies,
    ...(dialect ? { dialect: dialect as Dialect } : {}),
    ...(flags.root ? { root: flags.root } : {}),
    ...(flags.stdinFilename ? { stdin: { path: flags.stdinFilename, bytes: readFileSync(0) } } : {}),
    ...(wantsFix ? { fix: { strategy, minimum, write: !flags.diff } } : {}),
  });

  const color = flags.color && !process.env.NO_COLOR && !flags.output && process.stdout.isTTY === true;
  const report = {
    findings: result.findings,
    diagnostics: result.diagnostics,
    filesChecked: result.filesChecked,
    sources: result.sources,
    strategy,
  };
  process.stderr.write(renderDiagnostics(report, { color: false, quiet: !!flags.quiet }));
  let body = format === 'json' ? renderJson(report) : renderText(report, { color, quiet: !!flags.quiet });
  if (flags.diff) body = result.diffs.join('') + (format === 'json' ? '' : body);
  else if (result.fixedCount > 0 && format === 'text')
    body = `Fixed ${result.fixedCount} problem${result.fixedCount === 1 ? '' : 's'}.\n${body}`;
  if (flags.output) writeFileSync(flags.output, body);
  else process.stdout.write(body);

  if (result.diagnostics.some((d) => d.severity === 'error')) return EXIT_USAGE;
  if (failOn === 'never') return EXIT_CLEAN;
  const threshold = SEVERITY_RANK[failOn];
  return result.findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? EXIT_FINDINGS : EXIT_CLEAN;
}

function rulesCommand(flags: { format: string }): number {
  const format = oneOf('--format', flags.format, ['text', 'json'] as const);
  if (format === 'json') {
    process.stdout.write(
      `${JSON.stringify(
        RULES.map(({ id, severity, fixable, summary, since }) => ({
          id,
          severity,
          fixable,
          summary,
          since,
          docs: docsUrl(id),
        })),
        null,
        2,
      )}\n`,
    );
    return EXIT_CLEAN;
  }
  const width = Math.max(...RULES.map((r) => r.id.length));
  const lines = RULES.map(
    (r) => `${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  fix: ${r.fixable.padEnd(10)}  ${r.summary}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT_CLEAN;
}

function explainCommand(id: string): number {
  const rule = RULES.find((r) => r.id === id);
  if (!rule) throw new UsageError(`unknown rule "${id}" (see \`ci-lint rules\`)`);
  let text: string;
  try {
    text = readFileSync(new URL(`../rules/${id}/README.md`, import.meta.url), 'utf8');
  } catch {
    text = `${rule.id}: ${rule.summary}\n\nDocs: ${docsUrl(id)}\n`;
  }
  process.stdout.write(
    `${text.trimEnd()}\n\nseverity: ${rule.severity} · fixable: ${rule.fixable} · since ${rule.since}\n`,
  );
  return EXIT_CLEAN;
}

function inspectCommand(
  file: string,
  flags: { format: string; config?: string; defaultImage?: string; dialect?: string },
): number {
  const config = loadSettingsConfig(flags);
  const format = oneOf('--format', flags.format, ['text', 'json'] as const);
  const dialect = oneOf('--dialect', flags.dialect, ['gitlab', 'github-workflow', 'github-action'] as const);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    process.stderr.write(
      `${file}:1:1: error: cannot read file: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`,
    );
    return EXIT_USAGE;
  }
  const sources = new Sources();
  const ins = inspectBytes(file, bytes, sources, {
    rules: [],
    environment: environmentOptions(config, flags.defaultImage),
    strategies: ['venv'],
    ...(dialect ? { dialect: dialect as Dialect } : {}),
  });
  process.stdout.write(format === 'json' ? `${JSON.stringify(ins, null, 2)}\n` : renderInspection(ins));
  return ins.diagnostics.some((d) => d.severity === 'error') ? EXIT_USAGE : EXIT_CLEAN;
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('ci-lint');
  program
    .description(
      'Finds pip calls in GitLab CI and GitHub Actions files that will hit an externally managed Python (PEP 668), and fixes them.',
    )
    .version(VERSION, '-V, --version')
    .argument('[paths...]', 'CI files or folders to lint (default: find CI files under the current folder)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('-c, --config <file>', 'config file (default: .ci-lint.yml found from the current folder upward)')
    .option('--default-image <image>', 'image to assume for jobs that name none (e.g. debian:bookworm)')
    .addOption(
      new Option('--dialect <dialect>', 'treat the files as this dialect').choices([
        'gitlab',
        'github-workflow',
        'github-action',
      ]),
    )
    .option('--select <rules>', 'only these rules (comma-separated ids)')
    .option('--ignore <rules>', 'skip these rules (comma-separated ids)')
    .addOption(
      new Option('--fail-on <level>', 'lowest severity that makes the exit code 1 (default: error)').choices([
        'error',
        'warning',
        'info',
        'never',
      ]),
    )
    .option('--fix', 'apply safe fixes of the chosen strategy')
    .option('--unsafe-fixes', 'apply unsafe fixes too')
    .option('--diff', 'print the fixes as a unified diff; write nothing')
    .addOption(
      new Option('--fix-strategy <strategy>', 'remedy to apply (default: venv)').choices(FIX_STRATEGIES),
    )
    .option('--stdin-filename <name>', 'read the file from standard input and report it under this name')
    .option(
      '--root <dir>',
      'project root for GitLab include: local and GitHub uses: ./ (default: the folder of .gitlab-ci.yml or above .github/, else the git root)',
    )
    .option('-q, --quiet', 'print only findings and errors')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .showHelpAfterError()
    .addHelpText(
      'after',
      "\nExit codes: 0 no findings at or above --fail-on, 1 findings, 2 usage, config or unreadable/invalid input.\n\nCommands:\n  ci-lint rules            list the rules\n  ci-lint explain RULE     show a rule's documentation\n  ci-lint inspect FILE     show each job as ci-lint resolves it (image, Python verdict, shells)",
    )
    .action((paths: string[], flags: LintFlags) => setExit(lintCommand(paths, flags)));
  program
    .command('rules')
    .description('list the rules (id, default severity, fixability, summary)')
    .addOption(new Option('-f, --format <format>').choices(['text', 'json']).default('text'))
    .action((flags: { format: string }) => setExit(rulesCommand(flags)));
  program
    .command('explain')
    .description("print a rule's documentation")
    .argument('<rule>', 'rule id')
    .action((id: string) => setExit(explainCommand(id)));
  program
    .command('inspect')
    .description(
      'print each job as ci-lint resolves it: image, Python verdict with evidence, shells and their lines',
    )
    .argument('<file>', 'a CI file')
    .addOption(new Option('-f, --format <format>').choices(['text', 'json']).default('text'))
    .option('-c, --config <file>', 'config file')
    .option('--default-image <image>', 'image to assume for jobs that name none')
    .addOption(new Option('--dialect <dialect>').choices(['gitlab', 'github-workflow', 'github-action']))
    .action(
      (file: string, flags: { format: string; config?: string; defaultImage?: string; dialect?: string }) =>
        setExit(inspectCommand(file, flags)),
    );
  return program;
}

export function main(argv: string[]): number {
  let code = EXIT_CLEAN;
  const program = buildProgram((c) => {
    code = c;
  });
  program.enablePositionalOptions();
  program.exitOverride();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const sub of program.commands) sub.exitOverride();
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_CLEAN : EXIT_USAGE;
    if (e instanceof UsageError) {
      process.stderr.write(`ci-lint: ${e.message}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof ConfigError) {
      const pos = positionIn(e.path, e.offset);
      process.stderr.write(`${e.path}:${pos.line}:${pos.column}: error: ${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
  return code;
}

function positionIn(path: string, offset: number) {
  try {
    return new LineIndex(readFileSync(path, 'utf8')).position(offset);
  } catch {
    return { line: 1, column: 1 };
  }
}

process.exitCode = main(process.argv.slice(2));
