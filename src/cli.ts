#!/usr/bin/env node
/** Command-line wiring only: parse flags, load config, call the engine, pick a reporter, exit. */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isMainThread, workerData } from 'node:worker_threads';
import { Command, CommanderError, Option } from 'commander';
import { RULES } from '../rules/index.ts';
import { type CheckSettings, check, checkEach } from './engine/check.ts';
import { ConfigError, type FailOn, FIX_STRATEGIES } from './engine/config.ts';
import { inspectBytes, renderInspection } from './engine/inspect.ts';
import { FILES_PER_THREAD } from './engine/parallel.ts';
import { errnoText, positionInFile, readLimited } from './engine/read.ts';
import { reportTarget } from './engine/report-path.ts';
import { docsUrl, readRuleDocs } from './engine/rule.ts';
import {
  DIALECTS,
  EXIT_CLEAN,
  EXIT_USAGE,
  environmentOptions,
  exitCode,
  oneOf,
  planRun,
  readConfig,
  UsageError,
  type UserOptions,
} from './engine/settings.ts';
import { Sources } from './engine/sources.ts';
import { isLintWorker, serveLintWorker } from './engine/worker.ts';
import type { Applicability, Diagnostic, FixStrategy, Severity } from './model/finding.ts';
import type { Dialect } from './model/job.ts';
import { FORMATS, STREAM } from './reporters/index.ts';
import { renderDiagnostics, textStream } from './reporters/text.ts';
import { positioned, type Report, type ReportStream, renderWhole, reportOf } from './reporters/types.ts';
import { VERSION } from './version.ts';
import { DEFAULT_MAX_BYTES, tooLargeMessage } from './yaml/decode.ts';

/** The CLI's flags: the options shared with the Action, plus output and fixing. */
interface LintFlags extends Omit<UserOptions, 'cwd' | 'paths'> {
  format: string;
  output?: string;
  fix?: boolean;
  unsafeFixes?: boolean;
  diff?: boolean;
  stdinFilename?: string;
  quiet?: boolean;
  color: boolean;
  jobs?: string;
}

function lintCommand(paths: string[], flags: LintFlags): number {
  const format = oneOf('--format', flags.format, FORMATS)!;
  if (flags.stdinFilename && (flags.fix || flags.unsafeFixes) && !flags.diff)
    throw new UsageError('--fix cannot write to standard input; use --diff');
  // a unified diff is text: it has no place inside JSON, SARIF or a Code Quality report
  if (flags.diff && format !== 'text')
    throw new UsageError(
      `--diff prints a unified diff, not a ${format} report; drop --format ${format}, or --diff`,
    );
  const wantsFix = flags.fix || flags.unsafeFixes || flags.diff;
  const minimum: Applicability = flags.unsafeFixes ? 'unsafe' : 'safe';
  const options = { cwd: process.cwd(), paths, ...pick(flags) };
  const { settings, failOn, strategy } = planRun(
    options,
    wantsFix ? { minimum, write: !flags.diff } : undefined,
  );
  if (flags.stdinFilename !== undefined) {
    if (flags.stdinFilename === '')
      throw new UsageError('--stdin-filename needs a name to report the file under');
    settings.stdin = { path: flags.stdinFilename, bytes: readStdin(flags.stdinFilename) };
  }
  const output = flags.output === '-' ? undefined : flags.output;
  if (output) settings.report = reportTarget('--output', output, settings.cwd);
  settings.pool = {
    entry: new URL(import.meta.url),
    options,
    ...(flags.jobs !== undefined ? { jobs: jobCount(flags.jobs) } : {}),
  };

  // on a terminal that has colours as Node judges it: TERM=dumb, NO_COLOR and FORCE_COLOR=0 say no
  const color = flags.color && !output && process.stdout.isTTY === true && process.stdout.hasColors();
  const quiet = !!flags.quiet;
  const stream = format === 'text' ? textStream({ color, quiet }, strategy) : STREAM[format](strategy);
  const problems = (report: Report) => {
    const text = renderDiagnostics(report, { color: false, quiet });
    if (text !== '') process.stderr.write(text);
  };
  if (!wantsFix) return streamRun(settings, stream, output, problems, failOn, strategy);

  const result = check(settings);
  const report = reportOf(result, strategy);
  problems(report);
  let body = renderWhole(stream, report);
  if (flags.diff) body = result.diffs.join('') + body;
  else if (result.fixedCount > 0 && format === 'text')
    body = `Fixed ${result.fixedCount} problem${result.fixedCount === 1 ? '' : 's'}.\n${body}`;
  if (output) writeReport(output, body);
  else process.stdout.write(body);
  return exitCode(result, failOn);
}

/**
 * A run without fixes: each file's findings go to the output as soon as the file is done, and are
 * then dropped (a run over thousands of files keeps only what its reporter needs at the end).
 */
function streamRun(
  settings: CheckSettings,
  stream: ReportStream,
  output: string | undefined,
  problems: (report: Report) => void,
  failOn: FailOn,
  strategy: FixStrategy,
): number {
  // opened at the first write, after discovery: checkEach refuses a report over an input before that
  let fd: number | undefined;
  let write: ((text: string) => void) | undefined;
  const toReport = (text: string) => {
    if (!write) {
      fd = output ? openReport(output) : 1;
      write = fdWriter(fd);
    }
    write(text);
  };
  try {
    const diagnostics: Diagnostic[] = [];
    const severities = new Set<Severity>();
    const summary = checkEach(settings, (batch) => {
      toReport(stream.file(batch));
      for (const d of batch.diagnostics) diagnostics.push(positioned(d, batch.sources));
      for (const f of batch.findings) severities.add(f.severity);
    });
    const sources = new Sources();
    problems({ findings: [], diagnostics, filesChecked: summary.filesChecked, sources, strategy });
    toReport(stream.end(summary.filesChecked));
    return exitCode({ findings: [...severities].map((severity) => ({ severity })), diagnostics }, failOn);
  } finally {
    if (output && fd !== undefined) closeSync(fd);
  }
}

/**
 * Standard input for `--stdin-filename`, read in chunks up to the input size limit: `< /dev/zero`
 * must end in an error, not in all the memory there is.
 */
function readStdin(name: string): Uint8Array {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.alloc(1 << 16);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, chunk);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      if (code === 'EOF') break;
      throw new UsageError(`cannot read standard input for ${name}: ${errnoText(e)}`);
    }
    if (n === 0) break;
    total += n;
    if (total > DEFAULT_MAX_BYTES)
      throw new UsageError(`standard input for ${name}: ${tooLargeMessage(total, DEFAULT_MAX_BYTES)}`);
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

function openReport(path: string): number {
  try {
    return openSync(path, 'w');
  } catch (e) {
    throw new UsageError(`cannot write the report to ${path}: ${errnoText(e)}`);
  }
}

function writeReport(path: string, body: string): void {
  const fd = openReport(path);
  try {
    fdWriter(fd)(body);
  } finally {
    closeSync(fd);
  }
}

/**
 * A writer that puts all of each text out at once. Not `process.stdout.write`: on a pipe it is
 * asynchronous, and a run that never yields to the event loop would queue its whole report in
 * memory. A full pipe (EAGAIN) is waited for; one whose reader has gone (EPIPE, `| head`) takes
 * nothing more.
 */
function fdWriter(fd: number): (text: string) => void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let readerGone = false;
  return (text) => {
    const bytes = Buffer.from(text);
    for (let done = 0; done < bytes.length && !readerGone; ) {
      try {
        done += writeSync(fd, bytes, done);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') readerGone = true;
        else if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 5);
        else throw new UsageError(`cannot write the report: ${errnoText(e)}`);
      }
    }
  };
}

/** `--jobs N`: a whole number of worker threads, at least 1 (1 = lint on the main thread only). */
function jobCount(value: string): number {
  if (!/^\s*\d+\s*$/.test(value) || Number(value) < 1)
    throw new UsageError(`--jobs must be a whole number ≥ 1 (got "${value}")`);
  // each thread is an isolate of ~100 MB: more than two per core only costs memory (a million crashed node)
  return Math.min(Number(value), 2 * availableParallelism());
}

/** The flags that mean the same for the CLI and the Action. */
function pick(flags: Partial<LintFlags>) {
  const out: Omit<UserOptions, 'cwd' | 'paths'> = {};
  for (const k of [
    'config',
    'defaultImage',
    'dialect',
    'select',
    'ignore',
    'failOn',
    'fixStrategy',
    'root',
  ] as const) {
    if (flags[k] !== undefined) out[k] = flags[k];
  }
  return out;
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
  const text = readRuleDocs(id) ?? `${rule.id}: ${rule.summary}\n\nDocs: ${docsUrl(id)}`;
  process.stdout.write(
    `${text.trimEnd()}\n\nseverity: ${rule.severity} · fixable: ${rule.fixable} · since ${rule.since}\n`,
  );
  return EXIT_CLEAN;
}

function inspectCommand(
  file: string,
  flags: { format: string; config?: string; defaultImage?: string; dialect?: string },
): number {
  const config = readConfig(process.cwd(), flags.config);
  const format = oneOf('--format', flags.format, ['text', 'json'] as const);
  const dialect = oneOf('--dialect', flags.dialect, DIALECTS);
  const read = readLimited(file);
  if ('error' in read) {
    process.stderr.write(`${file}:1:1: error: ${read.error}\n`);
    return EXIT_USAGE;
  }
  const sources = new Sources();
  const ins = inspectBytes(file, read.bytes, sources, {
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
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('text'))
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
    .option(
      '-j, --jobs <n>',
      `worker threads (default: one per ${FILES_PER_THREAD} files, up to one per core; at most two per core; 1 = none)`,
    )
    .option('-q, --quiet', 'print only findings and errors')
    .option('--no-color', 'no colours (NO_COLOR and TERM=dumb are honoured too)')
    .showHelpAfterError()
    .addHelpText(
      'after',
      "\nExit codes: 0 no findings at or above --fail-on, 1 findings, 2 usage, config or unreadable/invalid input.\n\nExamples:\n  ci-lint                             lint the CI files under this folder\n  ci-lint --diff .gitlab-ci.yml       show the fixes as a diff, write nothing\n  ci-lint inspect .gitlab-ci.yml      how each job's Python was worked out\n  ci-lint explain pip-install-system-python",
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
  program
    .command('lsp')
    .description('run the language server over standard input and output (for editors)')
    .option('--stdio', 'accepted for editors that pass it; stdio is the only transport')
    .action(() => startLanguageServer());
  return program;
}

/** Loaded only for `ci-lint lsp`: the protocol library stays out of every other command's start-up. */
function startLanguageServer(): void {
  import('./lsp/server.ts').then(
    (m) => m.startServer(process.stdin, process.stdout),
    (e) => {
      process.stderr.write(`ci-lint: cannot start the language server: ${String(e)}\n`);
      process.exitCode = EXIT_USAGE;
    },
  );
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
  // `ci-lint help [command]` as git and npm read it, not a path named help
  if (argv[0] === 'help') argv = [...argv.slice(1, 2), '--help'];
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_CLEAN : EXIT_USAGE;
    if (e instanceof UsageError) {
      process.stderr.write(`ci-lint: ${e.message}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof ConfigError) {
      const pos = positionInFile(e.path, e.offset);
      process.stderr.write(`${e.path}:${pos.line}:${pos.column}: error: ${e.message}\n`);
      return EXIT_USAGE;
    }
    // never a bare stack trace with exit 1 (which means "findings"): say it is ours, exit 2
    process.stderr.write(
      `ci-lint: internal error (please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    return EXIT_USAGE;
  }
  return code;
}

/**
 * A reader that goes away early (`ci-lint … | head`) ends the output, not the run (a `--fix` run
 * still writes its files): with no listener, the EPIPE that the next write meets surfaces as an
 * uncaught stack trace with exit code 1, which means "findings".
 */
function endOutputQuietlyWhenReaderGoes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') return;
      process.exitCode = EXIT_USAGE;
      try {
        writeSync(2, `ci-lint: cannot write the output: ${e.message}\n`);
      } catch {}
    });
  }
}

// the CLI's own file is also what a worker thread of a large run executes (engine/parallel.ts)
if (isMainThread) {
  endOutputQuietlyWhenReaderGoes();
  process.exitCode = main(process.argv.slice(2));
} else if (isLintWorker(workerData)) serveLintWorker(workerData);
