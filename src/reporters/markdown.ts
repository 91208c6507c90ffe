/**
 * A Markdown summary for `$GITHUB_STEP_SUMMARY` (or a merge request note): counts by severity, a
 * table of findings (location, rule linked to its docs, message, jobs) and the fixes each one has.
 * Every piece of text from the linted files is escaped, so a `|` in a message cannot split a cell.
 */
import { docsUrl } from '../engine/rule.ts';
import type { Finding, Severity } from '../model/finding.ts';
import { portablePath } from './fingerprint.ts';
import { diagnosticPosition, type Report } from './types.ts';

/** Rows in the findings table; GitHub caps a step summary at 1 MiB. */
export const MAX_ROWS = 200;

const WORD: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

/** Escapes text for a Markdown table cell: inline syntax, HTML, `|`; line breaks become `<br>`. */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/[\\`*_[\]<>|#~]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`))
    .replace(/\r\n|\r|\n/g, '<br>');
}

/** `text` as a code span inside a table cell (`|` still needs its backslash there). */
function code(text: string): string {
  if (text.includes('`') || /[\r\n]/.test(text)) return escapeMarkdown(text);
  return `\`${text.replace(/\|/g, '\\|')}\``;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function renderMarkdownSummary(report: Report): string {
  const { sources } = report;
  const out: string[] = ['## ci-lint', ''];
  const count = (s: Severity) => report.findings.filter((f) => f.severity === s).length;
  const files = plural(report.filesChecked, 'file');
  const inputErrors = report.diagnostics.filter((d) => d.severity === 'error');

  if (report.findings.length === 0 && inputErrors.length > 0) {
    out.push(`❌ ${plural(inputErrors.length, 'input error')} (below); no findings in ${files}.`, '');
  } else if (report.findings.length === 0) {
    out.push(`✅ No problems found in ${files}.`, '');
  } else {
    const counts = [plural(count('error'), 'error'), plural(count('warning'), 'warning')];
    if (count('info') > 0) counts.push(plural(count('info'), 'note'));
    out.push(`${count('error') > 0 ? '❌' : '⚠️'} Found ${counts.join(', ')} in ${files}.`, '');
    out.push('| Severity | Location | Rule | Message | Jobs |', '| --- | --- | --- | --- | --- |');
    const location = (f: Finding) =>
      `${portablePath(f.span.path)}:${sources.position(f.span.path, f.span.start).line}`;
    for (const f of report.findings.slice(0, MAX_ROWS)) {
      const jobs = f.jobs.map(code).join(', ');
      out.push(
        `| ${WORD[f.severity]} | ${code(location(f))} | [${escapeMarkdown(f.rule)}](${docsUrl(f.rule)}) | ${escapeMarkdown(f.message)} | ${jobs} |`,
      );
    }
    if (report.findings.length > MAX_ROWS)
      out.push(
        '',
        `… and ${report.findings.length - MAX_ROWS} more; the full list is in the ci-lint report.`,
      );
    out.push('');

    const withFixes = report.findings.filter((f) => f.fixes.length > 0).slice(0, MAX_ROWS);
    if (withFixes.length > 0) {
      out.push('### Fixes', '');
      for (const f of withFixes) {
        out.push(`- ${code(location(f))} [${escapeMarkdown(f.rule)}](${docsUrl(f.rule)})`);
        for (const fix of f.fixes) {
          const how =
            fix.strategy !== report.strategy || fix.applicability === 'suggestion'
              ? ''
              : fix.applicability === 'safe'
                ? ' — applied by `ci-lint --fix`'
                : ' — applied by `ci-lint --unsafe-fixes`';
          out.push(`  - **${fix.strategy}** (${fix.applicability}): ${escapeMarkdown(fix.title)}${how}`);
        }
      }
      out.push(
        '',
        `Preview any fix with \`ci-lint --diff\`; pick the remedy with \`--fix-strategy venv|pipx|override\` (now: ${report.strategy}). Suggestions need a person.`,
        '',
      );
    }
  }

  if (inputErrors.length > 0) {
    out.push('### Input errors', '');
    for (const d of inputErrors) {
      const p = diagnosticPosition(d, sources);
      out.push(`- ${code(`${portablePath(d.path)}:${p.line}:${p.column}`)} ${escapeMarkdown(d.message)}`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
