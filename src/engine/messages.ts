/** Wording shared by rules, so every message says the same thing the same way. */
import type { Distro } from '../environment/knowledge.ts';
import type { PythonEnvironment } from '../environment/resolve.ts';
import { isPythonPackage } from '../environment/resolve.ts';
import type { RelatedLocation } from '../model/finding.ts';
import type { InstallCheck } from './pip-target.ts';
import type { JobAnalysis, Step } from './simulate.ts';

/**
 * Since when the family a job's installs point to marks its Python (environments.md §1); `debian` is
 * what apt points to, Ubuntu included.
 */
const MARKED_SINCE: Partial<Record<Distro, string>> = {
  debian: 'Debian 12 and Ubuntu 23.04',
  alpine: 'Alpine 3.19',
  arch: "Arch's python 3.11",
  ubuntu: 'Ubuntu 23.04',
  homebrew: "Homebrew's python 3.12",
};

/** `debian:bookworm (Debian 12 (bookworm), python 3.11), which is externally managed (PEP 668)` */
export function managedPhrase(env: PythonEnvironment): string {
  if (env.certainty === 'certain') return `${env.description}, which is externally managed (PEP 668)`;
  const since = (env.distro && MARKED_SINCE[env.distro]) ?? 'Debian 12, Ubuntu 23.04 and Alpine 3.19';
  return `${env.description}, externally managed since ${since} (PEP 668)`;
}

/** The ways out of a refused pip install; under `--isolated` pip reads no PIP_* variable, so only the flag overrides. */
export function remedies(isolated: boolean): string {
  return isolated
    ? 'use a venv, pipx for applications, or pass --break-system-packages (pip ignores PIP_BREAK_SYSTEM_PACKAGES under --isolated)'
    : 'use a venv, pipx for applications, or set PIP_BREAK_SYSTEM_PACKAGES=1';
}

/** How to tell ci-lint what the image is, when it had to guess from the script. */
export function declareHint(env: PythonEnvironment): string | undefined {
  // a known runner is only assumed (a reusable workflow's input default): its callers decide, not a declaration
  if (env.certainty === 'certain' || env.runner) return undefined;
  return env.image
    ? `ci-lint does not know ${env.image}; declare it in .ci-lint.yml (images: {"${env.image}": {managed: true|false}})`
    : 'no image is named, so the runner decides; name it with image:, or declare it with --default-image IMAGE or default-image: in .ci-lint.yml';
}

/** When the image has no python3 of its own and the job installs none, pip is not even there yet. */
export function pipAbsenceNote(env: PythonEnvironment, analysis: JobAnalysis): string {
  if (env.pythonInImage !== false) return '';
  const installsPython = analysis.installs.some((i) => i.packages.some((p) => isPythonPackage(i.manager, p)));
  return installsPython
    ? ''
    : ' (the image has no pip until the job installs one, and then this is what happens)';
}

export function overrideLostNote(check: InstallCheck): string {
  return check.overrideLost ? `; ${check.overrideLost}` : '';
}

export function imageRelated(env: PythonEnvironment): RelatedLocation[] {
  if (!env.imageSpan || env.managed !== 'yes') return [];
  return [{ span: env.imageSpan, label: 'externally managed Python comes from this image' }];
}

/** When a refused install cannot fail the job (`|| true`, `set +e`, after_script), the finding is a warning. */
export function caughtFailure(step: Step): string | undefined {
  if (step.shell.failureIgnored)
    return `the job goes on, since ${step.shell.failureIgnored}, but the packages are not installed`;
  if (step.command.after === '||')
    return 'the job goes on, since `||` catches the failure, but the packages are not installed';
  if (step.state.errexitOff && step.line.section.startsWith('make '))
    return 'make goes on past a `-` recipe line, but the packages are not installed';
  if (step.state.errexitOff) return 'the job goes on under `set +e`, but the packages are not installed';
  if (step.command.substitution === 'argument')
    return 'the job goes on, since only the output of `$( … )` is used, but the packages are not installed';
  return undefined;
}
