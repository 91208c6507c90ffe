/** Runs the rules over every job of a pipeline and merges findings that point at the same text. */
import { type EnvironmentOptions, resolveEnvironment, summarize } from '../environment/resolve.ts';
import type { Finding, FixStrategy, Severity } from '../model/finding.ts';
import { SEVERITY_RANK } from '../model/finding.ts';
import type { Pipeline } from '../model/job.ts';
import type { Rule, RuleContext } from './rule.ts';
import { analyzeJob } from './simulate.ts';

export interface LintOptions {
  rules: readonly Rule[];
  /** Per-rule severity from the config (`off` rules are simply not in `rules`). */
  severityOverride?: ReadonlyMap<string, Severity>;
  environment: EnvironmentOptions;
  strategies: FixStrategy[];
}

export function lintPipeline(
  pipeline: Pipeline,
  source: (path: string) => string,
  options: LintOptions,
): Finding[] {
  const byLocation = new Map<string, Finding>();
  for (const job of pipeline.jobs) {
    const analysis = analyzeJob(job);
    const env = resolveEnvironment(job.image, analysis.installs, options.environment);
    for (const rule of options.rules) {
      const ctx: RuleContext = {
        job,
        analysis,
        env,
        source,
        strategies: options.strategies,
        report(input) {
          const severity = options.severityOverride?.get(rule.id) ?? input.severity;
          const finding: Finding = {
            rule: rule.id,
            severity,
            span: input.span,
            message: input.message,
            jobs: [job.name],
            environment: summarize(env),
            fixes: input.fixes ?? [],
            related: input.related ?? [],
          };
          if (input.hint) finding.hint = input.hint;
          merge(byLocation, finding);
        },
      };
      rule.check(ctx);
    }
  }
  return [...byLocation.values()].sort(compareFindings);
}

/** One finding per rule and location: a template line used by many jobs is reported once. */
function merge(into: Map<string, Finding>, f: Finding) {
  const key = `${f.rule}\0${f.span.path}\0${f.span.start}\0${f.span.end}`;
  const prev = into.get(key);
  if (!prev) {
    into.set(key, f);
    return;
  }
  for (const j of f.jobs) if (!prev.jobs.includes(j)) prev.jobs.push(j);
  if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[prev.severity]) {
    into.set(key, { ...f, jobs: prev.jobs });
  }
  const current = into.get(key)!;
  const names = current.jobs.map((j) => `"${j}"`).join(', ');
  current.message = current.message.replace(/^jobs? "[^"]*"(, "[^"]*")* runs? /, `jobs ${names} run `);
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.span.path !== b.span.path) return a.span.path < b.span.path ? -1 : 1;
  return a.span.start - b.span.start || a.rule.localeCompare(b.rule);
}
