/**
 * A whole run: discover files, lint each (one bad file never stops the others), optionally fix
 * them, and gather everything a reporter needs. The CLI, the Action and tests all come through here.
 */
import { readFileSync } from 'node:fs';
import { normalize } from 'node:path';
import type { Applicability, Diagnostic, Finding, FixStrategy } from '../model/finding.ts';
import type { Dialect } from '../model/job.ts';
import { unifiedDiff } from './diff.ts';
import { discover } from './discover.ts';
import { fixText } from './fixer.ts';
import { lintBytes, lintText, type RunOptions } from './run.ts';
import { Sources } from './sources.ts';
import { WriteRefused, writeFixed } from './write.ts';

export interface CheckSettings extends RunOptions {
  cwd: string;
  paths: string[];
  ignore: string[];
  /** Lint this text instead of reading files (`--stdin-filename`). */
  stdin?: { path: string; bytes: Uint8Array };
  fix?: { strategy: FixStrategy; minimum: Applicability; write: boolean };
}

export interface CheckResult {
  findings: Finding[];
  diagnostics: Diagnostic[];
  filesChecked: number;
  sources: Sources;
  /** Unified diffs of the fixes (with `--diff`), or of what was written. */
  diffs: string[];
  /** The fixed text of each file a fix changed (what `--diff` shows, or what was written). */
  fixed: Map<string, string>;
  fixedCount: number;
  /** Each file linted: its dialect (none when not recognised) and the files it included. */
  files: { path: string; dialect?: Dialect; includedFiles: string[] }[];
}

export function check(settings: CheckSettings): CheckResult {
  const sources = new Sources();
  const result: CheckResult = {
    findings: [],
    diagnostics: [],
    filesChecked: 0,
    sources,
    diffs: [],
    fixed: new Map(),
    fixedCount: 0,
    files: [],
  };
  const inputs: { path: string; bytes?: Uint8Array }[] = [];
  if (settings.stdin) inputs.push(settings.stdin);
  else {
    const found = discover(settings.paths, settings.cwd, settings.ignore);
    for (const d of found.diagnostics) result.diagnostics.push(d);
    for (const path of found.files) inputs.push({ path });
  }
  // main pipeline files first, so the files they include are linted through them (once)
  const isMain = (p: string) => /(^|\/)\.gitlab-ci\.ya?ml$/.test(p);
  inputs.sort((a, b) => Number(isMain(b.path)) - Number(isMain(a.path)));
  const includedByOthers = new Set<string>();
  for (const input of inputs) {
    if (includedByOthers.has(normalize(input.path))) continue;
    let bytes = input.bytes;
    if (!bytes) {
      try {
        bytes = readFileSync(input.path);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        result.diagnostics.push({
          path: input.path,
          line: 1,
          column: 1,
          severity: 'error',
          message: `cannot read file: ${code ?? String(e)}`,
        });
        continue;
      }
    }
    result.filesChecked++;
    let file: ReturnType<typeof lintBytes>;
    try {
      file = lintBytes(input.path, bytes, sources, settings);
      if (settings.fix && file.findings.some((f) => f.fixes.length > 0) && sources.has(input.path)) {
        file = fixOne(input.path, sources, settings, result) ?? file;
      }
    } catch (e) {
      // a bug of ours on one file must not stop the others: report it where it happened
      const message = `internal error while linting this file (please report it): ${e instanceof Error ? e.message : String(e)}`;
      result.diagnostics.push({ path: input.path, line: 1, column: 1, severity: 'error', message });
      continue;
    }
    for (const f of file.includedFiles) includedByOthers.add(normalize(f));
    result.files.push({
      path: input.path,
      ...(file.dialect ? { dialect: file.dialect } : {}),
      includedFiles: file.includedFiles,
    });
    // loops, not spreads: a file may yield more findings than a call takes arguments
    for (const f of file.findings) result.findings.push(f);
    for (const d of file.diagnostics) result.diagnostics.push(d);
  }
  return result;
}

function fixOne(path: string, sources: Sources, settings: CheckSettings, result: CheckResult) {
  const fix = settings.fix!;
  const original = sources.text(path);
  const relint = (text: string) => lintText(path, text, new Sources(), settings).findings;
  const outcome = fixText(path, original, relint, fix.strategy, fix.minimum);
  if (outcome.reverted) {
    result.diagnostics.push({ path, line: 1, column: 1, severity: 'error', message: outcome.reverted });
    return undefined;
  }
  if (outcome.text === original) return undefined;
  result.diffs.push(unifiedDiff(path, original, outcome.text));
  result.fixed.set(path, outcome.text);
  if (!fix.write) return undefined; // --diff: report the findings of the file as it is
  try {
    writeFixed(path, original, outcome.text, settings.root ?? settings.cwd);
  } catch (e) {
    const message =
      e instanceof WriteRefused
        ? e.message
        : `cannot write fixed file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
    result.diagnostics.push({ path, line: 1, column: 1, severity: 'error', message });
    return undefined;
  }
  result.fixedCount += outcome.fixedCount;
  return lintText(path, outcome.text, sources, settings);
}
