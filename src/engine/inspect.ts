/** `ci-lint inspect FILE`: each resolved job as ci-lint sees it — image, verdict, evidence, shells. */
import { type PythonEnvironment, resolveEnvironment } from '../environment/resolve.ts';
import { MemoryExhausted } from '../memory-guard.ts';
import type { Diagnostic } from '../model/finding.ts';
import type { ScriptLine } from '../model/job.ts';
import { positioned } from '../reporters/types.ts';
import { splitDebianPython } from './debian-python.ts';
import { checkInstall } from './pip-target.ts';
import { scriptLoader } from './project.ts';
import type { RunOptions } from './run.ts';
import { lintBytes, rootOf } from './run.ts';
import { analyzeJob, commandSpan, type JobAnalysis } from './simulate.ts';
import type { Sources } from './sources.ts';

export interface InspectedLine {
  path: string;
  line: number;
  column: number;
  section: string;
  text: string;
  /** Install commands on this line and what ci-lint concluded. */
  installs: {
    command: string;
    line: number;
    column: number;
    hitsSystem: boolean;
    why: string;
    override?: string;
  }[];
}

export interface InspectedJob {
  name: string;
  path: string;
  line: number;
  image?: { name: string; raw: string; origin: string };
  environment: {
    managed: string;
    certainty: string;
    /** How the verdict is known: the knowledge row's `verified`/`inferred`, `declared` in config, or `likely` from script evidence. */
    basis: string;
    description: string;
    python?: string;
    pip?: string;
    evidence: string[];
  };
  shells: { kind: string; label: string; lines: InspectedLine[] }[];
  /** What of the job ci-lint cannot see (a template from an unread include): its verdicts are likely. */
  incomplete?: string;
}

export interface Inspection {
  path: string;
  dialect?: string;
  jobs: InspectedJob[];
  diagnostics: Diagnostic[];
}

/** The inspection of a file; one too large for the heap is that file's error, as in a lint run. */
export function inspectBytes(
  path: string,
  bytes: Uint8Array,
  sources: Sources,
  options: RunOptions,
): Inspection {
  try {
    return inspection(path, bytes, sources, options);
  } catch (e) {
    if (!(e instanceof MemoryExhausted)) throw e;
    return {
      path,
      jobs: [],
      diagnostics: [{ path, line: 1, column: 1, severity: 'error', message: e.message }],
    };
  }
}

function inspection(path: string, bytes: Uint8Array, sources: Sources, options: RunOptions): Inspection {
  const file = lintBytes(path, bytes, sources, { ...options, rules: [] });
  const out: Inspection = {
    path,
    jobs: [],
    diagnostics: file.diagnostics.map((d) => positioned(d, sources)),
  };
  if (file.dialect) out.dialect = file.dialect;
  for (const job of file.pipeline?.jobs ?? []) {
    const whole = analyzeJob(
      job,
      file.dialect ? scriptLoader(rootOf(file.dialect, path, options), sources) : undefined,
    );
    const split = splitDebianPython(job, whole);
    const analysis = split?.own ?? whole;
    const others = [...analysis.containers];
    if (split) others.push({ ...split.debian.analysis, steps: [...split.debian.named] });
    // a line shows under what ran it: the job, a container, another system, Debian's python3
    const elsewhere = new Set<ScriptLine>();
    for (const inner of others) for (const s of inner.steps) elsewhere.add(s.line);
    for (const s of analysis.steps) elsewhere.delete(s.line);
    out.jobs.push(inspectedJob(analysis, sources, options, (l) => !elsewhere.has(l)));
    for (const inner of others) {
      const ran = new Set(inner.steps.map((s) => s.line));
      out.jobs.push(inspectedJob(inner, sources, options, (l) => ran.has(l)));
    }
  }
  return out;
}

function inspectedJob(
  analysis: JobAnalysis,
  sources: Sources,
  options: RunOptions,
  shows: (line: ScriptLine) => boolean,
): InspectedJob {
  const { job } = analysis;
  const env = resolveEnvironment(job, analysis.installs, options.environment);
  const environment: InspectedJob['environment'] = {
    managed: env.managed,
    certainty: env.certainty,
    basis: verdictBasis(env),
    description: env.description,
    evidence: env.evidence,
  };
  if (env.python) environment.python = env.python;
  if (env.pip) environment.pip = env.pip;
  const inspected: InspectedJob = {
    name: job.name,
    // where the job is written: an included file's job is in that file
    path: job.span.path,
    line: sources.position(job.span.path, job.span.start).line,
    environment,
    shells: [],
  };
  if (job.image) inspected.image = { name: job.image.name, raw: job.image.raw, origin: job.image.origin };
  if (job.incomplete) inspected.incomplete = job.incomplete;
  for (const shell of job.shells) {
    const lines: InspectedLine[] = shell.lines.filter(shows).map((l) => {
      const p = sources.position(l.path, l.span.start);
      const installs = analysis.steps
        .filter((s) => s.line === l)
        .flatMap((s) => {
          const c = checkInstall(s, env);
          if (!c) return [];
          const span = commandSpan(s.line, s.command);
          const at = sources.position(span.path, span.start);
          const entry: InspectedLine['installs'][number] = {
            command: s.line.text.slice(s.command.start, s.command.end),
            line: at.line,
            column: at.column,
            hitsSystem: c.hitsSystem,
            why: c.why,
          };
          if (c.override) entry.override = c.override;
          return [entry];
        });
      return { path: l.path, line: p.line, column: p.column, section: l.section, text: l.text, installs };
    });
    if (lines.length > 0) inspected.shells.push({ kind: shell.kind, label: shell.label, lines });
  }
  return inspected;
}

/** How a verdict is known, in words: a row's verified facts are not its inferences (environments.md "Conf."). */
function verdictBasis(env: PythonEnvironment): string {
  if (env.certainty === 'likely') return 'likely, from what the job installs';
  const row = env.knowledge ?? env.runner;
  return row ? row.confidence : 'declared in config';
}

/** The verdict's line: `yes (verified)`, `no (inferred)`, `unknown`. */
function managedVerdict(e: InspectedJob['environment']): string {
  return e.managed === 'unknown' ? e.managed : `${e.managed} (${e.basis})`;
}

/** Which Python an install command reaches, in words (the `inspect` output, hovers, the playground). */
export function installVerdict(i: { hitsSystem: boolean; override?: string }): string {
  if (!i.hitsSystem) return 'not the system Python';
  return i.override ? `system Python, overridden by ${i.override}` : 'system Python, not overridden';
}

export function renderInspection(ins: Inspection): string {
  const out: string[] = [`${ins.path} (${ins.dialect ?? 'unknown dialect'})`];
  for (const job of ins.jobs) {
    out.push('', `job "${job.name}" (${job.path}:${job.line})`);
    out.push(
      `  image: ${job.image ? `${job.image.name}${job.image.raw !== job.image.name ? ` (written ${job.image.raw})` : ''} [${job.image.origin}]` : '(none)'}`,
    );
    const e = job.environment;
    out.push(`  python: ${e.description}`);
    out.push(`  externally managed: ${managedVerdict(e)}`);
    for (const ev of e.evidence) out.push(`    because ${ev}`);
    if (job.incomplete) out.push(`  incomplete: ${job.incomplete}`);
    for (const shell of job.shells) {
      out.push(`  shell ${shell.label}:`);
      for (const l of shell.lines) {
        const text = l.text.replace(/\n$/, '').replace(/\n/g, '\n      ');
        out.push(`    ${l.path}:${l.line}:${l.column} [${l.section}] ${text}`);
        for (const i of l.installs) out.push(`      → ${i.command}: ${installVerdict(i)} (${i.why})`);
      }
    }
  }
  for (const d of ins.diagnostics)
    out.push(
      `${d.path}:${d.line ?? 1}:${d.column ?? 1}: ${d.severity === 'error' ? 'error' : 'note'}: ${d.message}`,
    );
  return `${out.join('\n')}\n`;
}
