/**
 * GitLab Code Quality report (`artifacts: reports: codequality`): a JSON array of issues with exactly
 * the fields GitLab documents — description, check_name, fingerprint, severity, location.path and
 * location.lines.begin.
 *
 * Severity mapping (GitLab knows info, minor, major, critical, blocker):
 * - error   → critical: the job will fail at this line (ci-lint's certainty, not a style matter);
 *             `blocker` is left for problems that stop ci-lint itself (input errors below).
 * - warning → minor: the job will likely fail, but the evidence is indirect (unknown image …).
 * - info    → info: hygiene.
 * Input problems (unreadable file, broken YAML) are reported too, as check `ci-lint/input-error`
 * with severity blocker, so a pipeline that fails on them shows why in the merge request.
 *
 * The fingerprint is the one the SARIF reporter uses (see fingerprint.ts): stable when unrelated
 * lines are added or removed, so GitLab does not report a moved finding as fixed plus new.
 */
import type { Diagnostic, Severity } from '../model/finding.ts';
import { diagnosticFingerprint, findingFingerprints, portablePath } from './fingerprint.ts';
import { JsonArrayWriter, positioned, type Report, type ReportStream, renderWhole } from './types.ts';

export type CodeQualitySeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

export const GITLAB_SEVERITY: Record<Severity, CodeQualitySeverity> = {
  error: 'critical',
  warning: 'minor',
  info: 'info',
};

export const INPUT_ERROR_CHECK = 'ci-lint/input-error';

export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: CodeQualitySeverity;
  location: { path: string; lines: { begin: number } };
}

export function renderGitlab(report: Report): string {
  return renderWhole(gitlabStream(), report);
}

/** Issues for findings as their files are done; input errors (few) at the end. */
export function gitlabStream(): ReportStream {
  const issues = new JsonArrayWriter(0);
  const occurrences = new Map<string, number>();
  const inputErrors: Diagnostic[] = [];
  let head = issues.open();
  return {
    file({ findings, diagnostics, sources }) {
      let out = head;
      head = '';
      const fingerprints = findingFingerprints(findings, sources, occurrences);
      out += issues.items(
        findings.map(
          (f, i): CodeQualityIssue => ({
            description: f.message,
            check_name: f.rule,
            fingerprint: fingerprints[i]!,
            severity: GITLAB_SEVERITY[f.severity],
            location: {
              path: portablePath(f.span.path),
              lines: { begin: sources.position(f.span.path, f.span.start).line },
            },
          }),
        ),
      );
      for (const d of diagnostics) if (d.severity === 'error') inputErrors.push(positioned(d, sources));
      return out;
    },
    end() {
      const errors = inputErrors.map(
        (d): CodeQualityIssue => ({
          description: d.message,
          check_name: INPUT_ERROR_CHECK,
          fingerprint: diagnosticFingerprint(d),
          severity: 'blocker',
          location: { path: portablePath(d.path), lines: { begin: d.line! } },
        }),
      );
      return `${head}${issues.items(errors)}${issues.close()}\n`;
    },
  };
}
