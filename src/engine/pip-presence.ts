/**
 * Is pip there at all? Images such as `debian:bookworm`, `ruby:*` or `node:*-bookworm` have no pip
 * (some not even python3) until the job installs one (environments.md §1, "pip present by default?").
 */
import { isPythonPackage, type PythonEnvironment } from '../environment/resolve.ts';
import type { JobAnalysis, Step } from './simulate.ts';

const PIP_PACKAGES = /^(python3?-pip|py3-pip|python-pip|python3\.\d+-pip)(=.*)?$/;

/** For each analysis: the index of the first step that may bring pip, and each step's index (computed once). */
const pipFrom = new WeakMap<JobAnalysis, { from: number; index: Map<Step, number> }>();

/** True when, at this step, the job's system Python has no pip: the image has none and nothing installed one. */
export function pipAbsent(env: PythonEnvironment, analysis: JobAnalysis, step: Step): boolean {
  if (!env.knowledge || env.knowledge.pipInImage) return false;
  let known = pipFrom.get(analysis);
  if (!known) {
    const first = analysis.steps.findIndex((s) => mayBringPip(s));
    known = {
      from: first === -1 ? analysis.steps.length : first,
      index: new Map(analysis.steps.map((s, i) => [s, i])),
    };
    pipFrom.set(analysis, known);
  }
  return (known.index.get(step) ?? 0) <= known.from;
}

function mayBringPip(s: Step): boolean {
  // an install whose package list comes from a variable (`apt-get install $DEPS`) may hold pip
  if (
    s.action.kind === 'package-install' &&
    s.action.packages.some((w) => w.dynamic || PIP_PACKAGES.test(w.value))
  ) {
    return true;
  }
  return s.action.kind === 'get-pip' || runsUnseenCode(s);
}

/** True when the job installs any Python at all (else `python3` itself may be missing). */
export function pythonInstalled(analysis: JobAnalysis): boolean {
  return analysis.installs.some((i) => i.packages.some((p) => isPythonPackage(i.manager, p)));
}

/** Programs whose effects we cannot see (a repository script, make, ansible …) may well install pip. */
const RUNNERS = new Set([
  'bash',
  'sh',
  'dash',
  'zsh',
  'just',
  'task',
  'ansible-playbook',
  'invoke',
  'source',
  '.',
]);

function runsUnseenCode(step: Step): boolean {
  // make's recipes are followed where the makefile is plain, but it may still do what we cannot read
  if (step.action.kind === 'make') return true;
  const argv0 = step.command.argv[0]?.value ?? '';
  if (step.action.kind !== 'other') return false;
  return argv0.includes('/') || /\.(sh|bash)$/.test(argv0) || RUNNERS.has(step.action.name);
}
