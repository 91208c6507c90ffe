/**
 * The venv remedy, what Debian's own error message recommends: create and activate `.venv` once per
 * shell, before the first call that needs it, and add `python3-venv` to the job's apt line on
 * Debian/Ubuntu (without it `python3 -m venv` fails, shared/knowledge/pip-behaviour.md N01). flit is
 * told to install into the venv (`--python`), because it otherwise targets the Python that runs it.
 * Unsafe: later commands that expect the packages in the system Python would change behaviour.
 */

import { checkInstall, type InstallCheck } from '../engine/pip-target.ts';
import type { JobAnalysis, Step } from '../engine/simulate.ts';
import type { PythonEnvironment } from '../environment/resolve.ts';
import type { Edit, Fix } from '../model/finding.ts';
import { addAptPackage, aptLineBefore, installed } from './apt.ts';
import { insertAfter, insertBefore } from './insert.ts';

export const VENV_DIR = '.venv';

const needsFix = (s: Step) => {
  const c = checkInstall(s);
  return c?.hitsSystem && !c.override;
};

export function venvFix(
  step: Step,
  check: InstallCheck,
  analysis: JobAnalysis,
  env: PythonEnvironment,
  source: string,
): Fix | null {
  // activation cannot redirect these: sudo resets PATH; explicit paths and uv/pip-sync/pipenv pick their own Python
  if (step.command.sudo) return null;
  const a = step.action;
  if (a.kind === 'pip' && (a.interpreter.dir !== undefined || a.args.python !== undefined)) return null;
  if (check.tool !== 'pip' && check.tool !== 'flit') return null;

  const first = analysis.steps.find((s) => s.shell === step.shell && needsFix(s)) ?? step;
  const python =
    first.action.kind === 'pip' && first.action.interpreter.form === 'python-module'
      ? first.action.interpreter.spelled
      : 'python3';
  const edits: Edit[] = [];
  let create = `${python} -m venv ${VENV_DIR} && . ${VENV_DIR}/bin/activate && `;
  let note = '';
  const debianFamily = env.distro === 'debian' || env.distro === 'ubuntu' || env.distro === 'kali';
  if (debianFamily && !installed(analysis, /^python3(\.\d+)?-(venv|full)$/)) {
    const apt = aptLineBefore(analysis, first);
    const aptEdit = apt ? addAptPackage(apt, 'python3-venv', source) : null;
    if (aptEdit) {
      edits.push(aptEdit);
      note = ' (adds python3-venv to the apt-get line)';
    } else {
      create = `apt-get update && apt-get install -y python3-venv && ${create}`;
      note = ' (installs python3-venv first)';
    }
  }
  const creation = insertBefore(first.line, first.command.statementStart, create, source);
  if (!creation) return null;
  edits.push(creation);
  if (a.kind === 'flit-install' && a.python === undefined && step.state.flitFrom !== 'venv') {
    const flitTarget = insertAfter(
      step.line,
      step.command.end - 1,
      ` --python ${VENV_DIR}/bin/python`,
      source,
    );
    if (!flitTarget) return null;
    edits.push(flitTarget);
  }
  return {
    title: `Create a virtual environment (${VENV_DIR}) in this shell and install into it${note}`,
    strategy: 'venv',
    applicability: 'unsafe',
    edits,
    group: `venv:${analysis.job.name}:${analysis.job.shells.indexOf(step.shell)}`,
  };
}
