/**
 * A whole run: discover files, lint each (one bad file never stops the others), optionally fix
 * them, and hand each file's findings on as soon as that file is done. The CLI streams them to its
 * reporter (so a run over 10 000 files never holds them all); `check()` collects them for the
 * Action and tests. Large runs are linted on worker threads (parallel.ts), in the same order.
 */

import { realpathSync } from 'node:fs';
import { normalize, resolve } from 'node:path';
import { MemoryExhausted } from '../memory-guard.ts';
import type { Applicability, Diagnostic, Finding, FixStrategy } from '../model/finding.ts';
import type { Dialect } from '../model/job.ts';
import { unifiedDiff } from './diff.ts';
import { discover } from './discover.ts';
import { fixText } from './fixer.ts';
import { type LintPool, lintInWorkers, workerCount } from './parallel.ts';
import { errnoText, readLimited } from './read.ts';
import type { ReportTarget } from './report-path.ts';
import { type FileResult, lintBytes, lintText, type RunOptions } from './run.ts';
import { UsageError } from './settings.ts';
import { Sources } from './sources.ts';
import { WriteRefused, writeFixed } from './write.ts';

export interface CheckSettings extends RunOptions {
  cwd: string;
  paths: string[];
  ignore: string[];
  /** Lint this text instead of reading files (`--stdin-filename`). */
  stdin?: { path: string; bytes: Uint8Array };
  fix?: { strategy: FixStrategy; minimum: Applicability; write: boolean };
  /** Worker threads for large runs (`--jobs`); absent: sequential. */
  pool?: LintPool;
  /** Where the report goes (`--output`, `sarif-file`): a run that would lint that file is refused. */
  report?: ReportTarget;
}

/** The report would be written over one of the inputs: refused before anything is read or written. */
function refuseReportOverInput(report: ReportTarget, files: readonly string[], cwd: string): void {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  const target = real(report.path);
  if (files.some((f) => real(resolve(cwd, f)) === target))
    throw new UsageError(`${report.named} is one of the files being linted; the report would overwrite it`);
}

/** What one input file (or a whole report) gave: its findings and problems, and the texts they point into. */
export interface FileBatch {
  findings: Finding[];
  diagnostics: Diagnostic[];
  sources: Sources;
  /** Files read as includes of the batch's inputs: `--fix` writes the inputs, never these. */
  includedFiles?: string[];
}

/** A linted input, as a worker thread or the main thread produces it. */
export interface FileOutcome extends FileBatch {
  /** False when the file could not be read (it is not counted as checked). */
  checked: boolean;
  includedFiles: string[];
  /** The dialect the file was read as, when it was recognised. */
  dialect?: Dialect;
}

export interface CheckSummary {
  filesChecked: number;
  /** Unified diffs of the fixes (with `--diff`), or of what was written. */
  diffs: string[];
  /** The fixed text of each file a fix changed (what `--diff` shows, or what was written). */
  fixed: Map<string, string>;
  fixedCount: number;
  /** Each file linted: its dialect (none when not recognised) and the files it included. */
  files: { path: string; dialect?: Dialect; includedFiles: string[] }[];
}

export interface CheckResult extends CheckSummary, FileBatch {}

/** Every finding and diagnostic of the run, collected (with every text they point into). */
export function check(settings: CheckSettings): CheckResult {
  const sources = new Sources();
  const findings: Finding[] = [];
  const diagnostics: Diagnostic[] = [];
  const summary = checkEach(settings, (batch) => {
    // loops, not spreads: a file may yield more findings than a call takes arguments
    for (const f of batch.findings) findings.push(f);
    for (const d of batch.diagnostics) diagnostics.push(d);
    sources.addAll(batch.sources);
  });
  return {
    ...summary,
    findings,
    diagnostics,
    sources,
    includedFiles: summary.files.flatMap((f) => f.includedFiles),
  };
}

/**
 * Lints every input and calls `onFile` once per input, in input order, whether it ran here or on a
 * worker thread; discovery problems come first, as a batch of their own.
 */
export function checkEach(settings: CheckSettings, onFile: (batch: FileBatch) => void): CheckSummary {
  const summary: CheckSummary = { filesChecked: 0, diffs: [], fixed: new Map(), fixedCount: 0, files: [] };
  const inputs: { path: string; bytes?: Uint8Array }[] = [];
  if (settings.stdin) inputs.push(settings.stdin);
  else {
    const found = discover(settings.paths, settings.cwd, settings.ignore);
    if (found.diagnostics.length > 0)
      onFile({ findings: [], diagnostics: found.diagnostics, sources: new Sources() });
    if (settings.report) refuseReportOverInput(settings.report, found.files, settings.cwd);
    for (const path of found.files) inputs.push({ path });
  }
  // main pipeline files first, so the files they include are linted through them (once)
  const isMain = (p: string) => /(^|\/)\.gitlab-ci\.ya?ml$/.test(p);
  inputs.sort((a, b) => Number(isMain(b.path)) - Number(isMain(a.path)));
  const includedByOthers = new Set<string>();
  const skip = (path: string) => includedByOthers.has(normalize(path));
  const take = (outcome: FileOutcome, path: string) => {
    if (outcome.checked) {
      summary.filesChecked++;
      const { dialect, includedFiles } = outcome;
      summary.files.push({ path, ...(dialect ? { dialect } : {}), includedFiles });
    }
    for (const f of outcome.includedFiles) includedByOthers.add(normalize(f));
    onFile(outcome);
  };
  const workers = settings.fix || settings.stdin ? 0 : workerCount(settings.pool, inputs.length);
  // `take` runs in input order, so `skip` sees what a sequential run would have seen
  const paths = inputs.map((i) => i.path);
  const here = (path: string) => lintInput(path, settings);
  const done = workers > 0 ? lintInWorkers(settings.pool!, workers, paths, skip, take, here) : 0;
  for (const input of inputs.slice(done)) {
    if (skip(input.path)) continue;
    let outcome = lintInput(input.path, settings, input.bytes);
    if (settings.fix && outcome.findings.some((f) => f.fixes.length > 0) && outcome.sources.has(input.path))
      outcome = fixOne(input.path, outcome, settings, summary);
    take(outcome, input.path);
  }
  return summary;
}

/** Reads and lints one file; a bug of ours on it becomes a diagnostic there, never an exception. */
export function lintInput(path: string, settings: RunOptions, given?: Uint8Array): FileOutcome {
  const sources = new Sources();
  const failed = (message: string, checked: boolean): FileOutcome => ({
    checked,
    includedFiles: [],
    findings: [],
    diagnostics: [{ path, line: 1, column: 1, severity: 'error', message }],
    sources,
  });
  let bytes = given;
  if (!bytes) {
    const read = readLimited(path, settings.maxBytes);
    // a file too large is counted as checked (as its decoding would refuse it); an unreadable one is not
    if ('error' in read) return failed(read.error, read.tooLarge === true);
    bytes = read.bytes;
  }
  try {
    return outcomeOf(lintBytes(path, bytes, sources, settings), sources);
  } catch (e) {
    return failed(caughtMessage(e), true);
  }
}

/**
 * What a linted file hands on: not its pipeline (the whole job model), which a worker would copy to
 * the main thread for nothing, and a run would keep alive until the file is reported.
 */
function outcomeOf(
  { findings, diagnostics, includedFiles, dialect }: FileResult,
  sources: Sources,
): FileOutcome {
  return { checked: true, includedFiles, findings, diagnostics, sources, ...(dialect ? { dialect } : {}) };
}

/** A file too large for the heap says so; anything else thrown is a bug of ours. */
function caughtMessage(e: unknown): string {
  if (e instanceof MemoryExhausted) return e.message;
  return `internal error while linting this file (please report it): ${e instanceof Error ? e.message : String(e)}`;
}

/** Fixes a linted file; on success the outcome is the fixed file's, else the original one. */
function fixOne(
  path: string,
  linted: FileOutcome,
  settings: CheckSettings,
  summary: CheckSummary,
): FileOutcome {
  const fix = settings.fix!;
  const original = linted.sources.text(path);
  const problem = (message: string): FileOutcome => ({
    ...linted,
    diagnostics: [...linted.diagnostics, { path, line: 1, column: 1, severity: 'error', message }],
  });
  try {
    const relint = (text: string) => lintText(path, text, new Sources(), settings).findings;
    const outcome = fixText(path, original, relint, fix.strategy, fix.minimum);
    if (outcome.reverted) return problem(outcome.reverted);
    if (outcome.text === original) return linted;
    summary.diffs.push(unifiedDiff(path, original, outcome.text));
    summary.fixed.set(path, outcome.text);
    if (!fix.write) return linted; // --diff: report the findings of the file as it is
    try {
      writeFixed(path, original, outcome.text, settings.root ?? settings.cwd);
    } catch (e) {
      return problem(e instanceof WriteRefused ? e.message : `cannot write fixed file: ${errnoText(e)}`);
    }
    summary.fixedCount += outcome.fixedCount;
    const sources = new Sources();
    return outcomeOf(lintText(path, outcome.text, sources, settings), sources);
  } catch (e) {
    const diagnostic: Diagnostic = { path, line: 1, column: 1, severity: 'error', message: caughtMessage(e) };
    return { ...linted, findings: [], diagnostics: [diagnostic] };
  }
}
