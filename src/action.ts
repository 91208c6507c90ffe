/**
 * The GitHub Action (action.yml → dist/action.js): the same run as the CLI, reported the GitHub way —
 * annotations on the changed lines, a Markdown step summary, a SARIF file for code scanning, and
 * outputs. Thin: inputs in, engine, reporters out.
 */
import { writeFileSync } from 'node:fs';
import * as core from '@actions/core';
import { check } from './engine/check.ts';
import { ConfigError } from './engine/config.ts';
import { errnoText } from './engine/read.ts';
import { reportTarget } from './engine/report-path.ts';
import { EXIT_FINDINGS, exitCode, oneOf, planRun, UsageError } from './engine/settings.ts';
import { renderGithub } from './reporters/github.ts';
import { FORMATS, RENDER } from './reporters/index.ts';
import { renderMarkdownSummary } from './reporters/markdown.ts';
import { renderSarif } from './reporters/sarif.ts';
import { renderDiagnostics, renderText } from './reporters/text.ts';
import { reportOf } from './reporters/types.ts';

const optional = (name: string) => core.getInput(name).trim() || undefined;

/** A true/false input, as YAML and people write it (`yes`, `on`, `1` too); anything else is a usage error. */
function flag(name: string, fallback: boolean): boolean {
  const value = core.getInput(name).trim().toLowerCase();
  if (value === '') return fallback;
  if (['true', 'yes', 'on', '1'].includes(value)) return true;
  if (['false', 'no', 'off', '0'].includes(value)) return false;
  throw new UsageError(`input ${name} must be true or false (got "${core.getInput(name).trim()}")`);
}

/** A file the runner gives (GITHUB_OUTPUT, the step summary) or the user names: its failure is said plainly. */
async function writing<T>(what: string, body: () => T | Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (e) {
    throw new UsageError(`cannot write ${what}: ${errnoText(e)}`);
  }
}

export async function run(): Promise<void> {
  try {
    const paths = core.getInput('paths').split(/\s+/).filter(Boolean);
    const format = oneOf('format', optional('format'), FORMATS) ?? 'text';
    const { settings, failOn, strategy } = planRun({
      cwd: process.cwd(),
      paths,
      ...defined({
        config: optional('config'),
        failOn: optional('fail-on'),
        fixStrategy: optional('fix-strategy'),
        defaultImage: optional('default-image'),
      }),
    });
    const sarifFile = optional('sarif-file');
    if (sarifFile) settings.report = reportTarget('sarif-file', sarifFile, settings.cwd);
    const result = check(settings);
    const report = reportOf(result, strategy);

    process.stdout.write(renderDiagnostics(report, { color: false, quiet: false }));
    process.stdout.write(
      format === 'text' ? renderText(report, { color: false, quiet: false }) : RENDER[format](report),
    );
    if (flag('annotations', true)) process.stdout.write(renderGithub(report));
    if (flag('summary', true) && process.env.GITHUB_STEP_SUMMARY)
      await writing('the step summary', () => core.summary.addRaw(renderMarkdownSummary(report)).write());
    if (sarifFile) {
      await writing(`sarif-file ${sarifFile}`, () => writeFileSync(sarifFile, renderSarif(report)));
      await writing('the outputs', () => core.setOutput('sarif-file', sarifFile));
    }
    await writing('the outputs', () => core.setOutput('findings-count', String(result.findings.length)));

    const code = exitCode(result, failOn);
    if (code === EXIT_FINDINGS)
      core.setFailed(`ci-lint: ${result.findings.length} finding(s), some at or above fail-on: ${failOn}`);
    else if (code !== 0)
      core.setFailed('ci-lint: some files could not be read or parsed (see the errors above)');
  } catch (e) {
    if (e instanceof UsageError) core.setFailed(`ci-lint: ${e.message}`);
    else if (e instanceof ConfigError) core.setFailed(`${e.path}: ${e.message}`);
    else core.setFailed(`ci-lint crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
}

function defined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

await run();
