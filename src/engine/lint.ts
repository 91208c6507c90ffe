/** Runs the rules over every job of a pipeline and merges findings that point at the same text. */
import { type EnvironmentOptions, resolveEnvironment, summarize } from '../environment/resolve.ts';
import { addsBreakFlag, pipKnowsFlag } from '../fixes/override.ts';
import { checkMemory } from '../memory-guard.ts';
import type { Finding, Fix, FixStrategy, Severity } from '../model/finding.ts';
import type { Job, Pipeline, ScriptLine } from '../model/job.ts';
import type { Command } from '../shell/commands.ts';
import { sameEdit } from './apply-fixes.ts';
import { splitDebianPython } from './debian-python.ts';
import type { Rule, RuleContext } from './rule.ts';
import {
  analyzeJob,
  commandSpan,
  type JobAnalysis,
  type ParsedScripts,
  type ScriptLoader,
  type Step,
} from './simulate.ts';

export interface LintOptions {
  rules: readonly Rule[];
  /** Per-rule severity from the config (`off` rules are simply not in `rules`). */
  severityOverride?: ReadonlyMap<string, Severity>;
  environment: EnvironmentOptions;
  strategies: FixStrategy[];
  /** Reads scripts the jobs run from the repository, so their pip calls are seen too. */
  scripts?: ScriptLoader;
}

/** The findings of several jobs at one location, merged when all jobs are in. */
interface Merged {
  /** The most severe finding (the first of them), as its job reported it. */
  kept: Finding;
  keptLabel: string;
  jobs: Set<string>;
  labels: string[];
  /** The fixes every one of these jobs offered, edit for edit: only those fix the line for all of them. */
  agreed: Fix[];
  /** Each job's Python, as messages describe it (a matrix over images has several). */
  pythons: Set<string>;
  keptPython: string;
}

export function lintPipeline(
  pipeline: Pipeline,
  source: (path: string) => string,
  options: LintOptions,
): Finding[] {
  const byLocation = new Map<string, Merged>();
  /**
   * Every command run, with its job: to say, for a finding, where the same line does *not* fail.
   * Not the steps themselves: those hold each job's shell states, which would then all stay alive
   * until the file's end.
   */
  const ran: CommandRun[] = [];
  /** `only`: the steps whose findings count (the others are there for what they tell about the job). */
  const lintAnalysis = (job: Job, analysis: JobAnalysis, only?: ReadonlySet<Step>) => {
    const env = resolveEnvironment(job, analysis.installs, options.environment);
    const counted = only ? [...only] : analysis.steps;
    // one per job, shared by its commands
    const platform: RunPlatform = { pip: env.pip, windows: env.runner?.os === 'windows' };
    for (const { line, command } of counted) ran.push({ line, command, job: job.name, platform });
    const at = only && new Set(counted.map((s) => commandSpan(s.line, s.command).start));
    // where a line comes after lines ci-lint cannot see (rare: made only when a line says so)
    let unseenAt: Map<number, string> | undefined;
    const unseenBefore = (spanStart: number) => {
      unseenAt ??= new Map(
        analysis.steps
          .filter((s) => s.line.unseenBefore !== undefined)
          .map((s) => [commandSpan(s.line, s.command).start, s.line.unseenBefore!]),
      );
      return unseenAt.get(spanStart);
    };
    for (const rule of options.rules) {
      const ctx: RuleContext = {
        job,
        analysis,
        env,
        source,
        strategies: options.strategies,
        report(input) {
          checkMemory();
          if (at && !at.has(input.span.start)) return;
          // what ci-lint cannot read may change the verdict: an error becomes a warning that says why
          const unseen =
            input.severity === 'error' ? (job.incomplete ?? unseenBefore(input.span.start)) : undefined;
          const partial = unseen !== undefined;
          const finding: Finding = {
            rule: rule.id,
            severity: options.severityOverride?.get(rule.id) ?? (partial ? 'warning' : input.severity),
            span: input.span,
            message: partial ? `${input.message} (likely, not certain: ${unseen})` : input.message,
            jobs: [job.name],
            environment: summarize(env),
            fixes: input.fixes ?? [],
            related: input.related ?? [],
          };
          if (input.hint) finding.hint = input.hint;
          merge(byLocation, finding, job.label, env.description);
        },
      };
      rule.check(ctx);
    }
    // `docker run IMAGE …` commands: judged on their own image
    for (const inner of analysis.containers) lintAnalysis(inner.job, inner);
  };
  const parsed: ParsedScripts = new Map();
  for (const job of pipeline.jobs) {
    checkMemory();
    const analysis = analyzeJob(job, options.scripts, parsed);
    const split = splitDebianPython(job, analysis);
    lintAnalysis(job, split?.own ?? analysis);
    if (split) lintAnalysis(split.debian.job, split.debian.analysis, split.debian.named);
  }
  const findings = [...byLocation.values()].map(mergedFinding);
  noteUnaffectedJobs(findings, ran);
  return findings.sort(compareFindings);
}

/** A command some job ran, on its script line. */
interface CommandRun {
  line: ScriptLine;
  command: Command;
  job: string;
  platform: RunPlatform;
}

/** What decides whether a fix made for one job also works in another that runs the same line. */
interface RunPlatform {
  /** The system pip's version, when known. */
  pip: string | undefined;
  /** A Windows runner, where a venv's scripts are in `Scripts\`, not `bin/`. */
  windows: boolean;
}

/**
 * For each finding, the jobs that run the command it points at and were not reported by it: those
 * the same template line does not fail in (no error or warning of any rule says so), and those whose
 * platform its fixes must also suit. Only the findings' locations are looked up.
 */
function noteUnaffectedJobs(findings: Finding[], ran: readonly CommandRun[]) {
  if (findings.length === 0) return;
  // job → its platform, for each command start a finding points at
  const runners = new Map<string, Map<number, Map<string, RunPlatform>>>();
  for (const f of findings) {
    const byStart = runners.get(f.span.path) ?? new Map<number, Map<string, RunPlatform>>();
    runners.set(f.span.path, byStart);
    byStart.set(f.span.start, new Map());
  }
  // a command's span lies inside its script line's: only the lines a finding starts in are mapped
  const starts = new Map(
    [...runners].map(([path, byStart]) => [path, [...byStart.keys()].sort((a, b) => a - b)]),
  );
  for (const { line, command, job, platform } of ran) {
    const inPath = starts.get(line.path);
    if (!inPath || !anyWithin(inPath, line.span.start, line.span.end)) continue;
    runners.get(line.path)!.get(commandSpan(line, command).start)?.set(job, platform);
  }
  // the jobs some error or warning says the command fails in (another rule's, or another severity's)
  const failing = new Map<string, Set<string>>();
  for (const f of findings) {
    if (f.severity === 'info') continue;
    const where = `${f.span.path}\0${f.span.start}`;
    const jobs = failing.get(where) ?? new Set<string>();
    for (const job of f.jobs) jobs.add(job);
    failing.set(where, jobs);
  }
  for (const f of findings) {
    const reported = new Set(f.jobs);
    const jobs = runners.get(f.span.path)!.get(f.span.start)!;
    const elsewhere = [...jobs.keys()].filter((name) => !reported.has(name));
    if (elsewhere.length === 0) continue;
    const fails = failing.get(`${f.span.path}\0${f.span.start}`);
    const unaffected = elsewhere.filter((name) => !fails?.has(name));
    if (unaffected.length > 0) f.unaffectedJobs = unaffected;
    // a fix edits the line every one of them runs
    const others = elsewhere.map((name) => jobs.get(name)!);
    // the flag would make pip < 23.0.1 stop with "no such option" where the line works today
    if (others.some((p) => !pipKnowsFlag(p.pip))) f.fixes = f.fixes.filter((fix) => !addsBreakFlag(fix));
    // `. .venv/bin/activate` fails on a Windows leg of the same step (`shell: bash` in Git Bash)
    if (others.some((p) => p.windows)) f.fixes = f.fixes.filter((fix) => fix.strategy !== 'venv');
  }
}

/** Whether the sorted `values` has one in [from, to]. */
function anyWithin(values: readonly number[], from: number, to: number): boolean {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < values.length && values[lo]! <= to;
}

/**
 * One finding per rule, severity and location: a template line used by many jobs is reported once,
 * naming them all (messages start with `job <label> runs`, which becomes `jobs <a>, <b> run`).
 */
function merge(into: Map<string, Merged>, f: Finding, label: string, python: string) {
  // jobs whose findings differ in severity (a known image and an unknown one) are reported apart:
  // one message cannot say both "will refuse" and "will likely refuse"
  const key = `${f.rule}\0${f.severity}\0${f.span.path}\0${f.span.start}\0${f.span.end}`;
  const prev = into.get(key);
  if (!prev) {
    into.set(key, {
      kept: f,
      keptLabel: label,
      jobs: new Set(f.jobs),
      labels: [label],
      agreed: f.fixes,
      pythons: new Set([python]),
      keptPython: python,
    });
    return;
  }
  const job = f.jobs[0]!;
  if (prev.jobs.has(job)) return;
  prev.jobs.add(job);
  prev.labels.push(label);
  prev.pythons.add(python);
  // a matrix's legs may need different fixes for one line (Debian 12's override is refused on 13)
  prev.agreed = prev.agreed.filter((a) => f.fixes.some((b) => sameFix(a, b)));
}

function mergedFinding({ kept, keptLabel, jobs, labels, agreed, pythons, keptPython }: Merged): Finding {
  if (labels.length === 1) return kept;
  const subject = `job ${keptLabel} runs `;
  let message = kept.message.startsWith(subject)
    ? `jobs ${labels.join(', ')} run ${kept.message.slice(subject.length)}`
    : kept.message;
  // a matrix over images: name each job's Python, not only the one of the job whose message it is
  if (pythons.size > 1 && message.includes(keptPython)) {
    const own = `each job's own image (${[...pythons].join('; ')})`;
    const all = pythons.size === 2 ? 'both' : 'all';
    const singular = `${keptPython}, which is `;
    message = message.includes(singular)
      ? message.replace(singular, `${own}, ${all} of which are `)
      : message.replace(keptPython, own);
  }
  const fixes = kept.fixes.filter((k) => agreed.some((a) => sameFix(a, k)));
  return { ...kept, jobs: [...jobs], message, fixes };
}

/** The same remedy: strategy and every edit alike (titles may word it for their own job). */
function sameFix(a: Fix, b: Fix): boolean {
  return (
    a.strategy === b.strategy &&
    a.edits.length === b.edits.length &&
    a.edits.every((e, i) => sameEdit(e, b.edits[i]!))
  );
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.span.path !== b.span.path) return a.span.path < b.span.path ? -1 : 1;
  return a.span.start - b.span.start || a.rule.localeCompare(b.rule);
}
