/** Runs the rules over every job of a pipeline and merges findings that point at the same text. */
import { type EnvironmentOptions, resolveEnvironment, summarize } from '../environment/resolve.ts';
import type { Finding, FixStrategy, Severity } from '../model/finding.ts';
import { SEVERITY_RANK } from '../model/finding.ts';
import type { Job, Pipeline } from '../model/job.ts';
import type { Rule, RuleContext } from './rule.ts';
import { analyzeJob, commandSpan, type JobAnalysis, type ScriptLoader } from './simulate.ts';

export interface LintOptions {
  rules: readonly Rule[];
  /** Per-rule severity from the config (`off` rules are simply not in `rules`). */
  severityOverride?: ReadonlyMap<string, Severity>;
  environment: EnvironmentOptions;
  strategies: FixStrategy[];
  /** Reads scripts the jobs run from the repository, so their pip calls are seen too. */
  scripts?: ScriptLoader;
}

interface Merged {
  finding: Finding;
  labels: string[];
}

export function lintPipeline(
  pipeline: Pipeline,
  source: (path: string) => string,
  options: LintOptions,
): Finding[] {
  const byLocation = new Map<string, Merged>();
  /** Which jobs run the command at a location, to say where a shared line does *not* fail. */
  const runners = new Map<string, { name: string; label: string }[]>();
  const lintAnalysis = (job: Job, analysis: JobAnalysis) => {
    for (const step of analysis.steps) {
      const span = commandSpan(step.line, step.command);
      const key = `${span.path}\0${span.start}`;
      const list = runners.get(key) ?? [];
      if (!list.some((j) => j.name === job.name)) list.push({ name: job.name, label: job.label });
      runners.set(key, list);
    }
    const env = resolveEnvironment(job, analysis.installs, options.environment);
    for (const rule of options.rules) {
      const ctx: RuleContext = {
        job,
        analysis,
        env,
        source,
        strategies: options.strategies,
        report(input) {
          const finding: Finding = {
            rule: rule.id,
            severity: options.severityOverride?.get(rule.id) ?? input.severity,
            span: input.span,
            message: input.message,
            jobs: [job.name],
            environment: summarize(env),
            fixes: input.fixes ?? [],
            related: input.related ?? [],
          };
          if (input.hint) finding.hint = input.hint;
          merge(byLocation, finding, job.label);
        },
      };
      rule.check(ctx);
    }
    // `docker run IMAGE …` commands: judged on their own image
    for (const inner of analysis.containers) lintAnalysis(inner.job, inner);
  };
  for (const job of pipeline.jobs) lintAnalysis(job, analyzeJob(job, options.scripts));
  const findings = [...byLocation.values()].map((m) => m.finding);
  for (const f of findings) {
    const elsewhere = (runners.get(`${f.span.path}\0${f.span.start}`) ?? []).filter(
      (j) => !f.jobs.includes(j.name),
    );
    if (elsewhere.length > 0) f.unaffectedJobs = elsewhere.map((j) => j.name);
  }
  return findings.sort(compareFindings);
}

/**
 * One finding per rule and location: a template line used by many jobs is reported once, naming
 * them all (messages start with `job <label> runs`, which becomes `jobs <a>, <b> run`).
 */
function merge(into: Map<string, Merged>, f: Finding, label: string) {
  const key = `${f.rule}\0${f.span.path}\0${f.span.start}\0${f.span.end}`;
  const prev = into.get(key);
  if (!prev) {
    into.set(key, { finding: f, labels: [label] });
    return;
  }
  if (prev.finding.jobs.includes(f.jobs[0]!)) return;
  const jobs = [...prev.finding.jobs, ...f.jobs];
  const labels = [...prev.labels, label];
  const kept = SEVERITY_RANK[f.severity] > SEVERITY_RANK[prev.finding.severity] ? f : prev.finding;
  const subject =
    kept === f
      ? `job ${label} runs `
      : prev.labels.length === 1
        ? `job ${prev.labels[0]} runs `
        : `jobs ${prev.labels.join(', ')} run `;
  const message = kept.message.startsWith(subject)
    ? `jobs ${labels.join(', ')} run ${kept.message.slice(subject.length)}`
    : kept.message;
  into.set(key, { finding: { ...kept, jobs, message }, labels });
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.span.path !== b.span.path) return a.span.path < b.span.path ? -1 : 1;
  return a.span.start - b.span.start || a.rule.localeCompare(b.rule);
}
