/**
 * The venv remedy, what Debian's own error message recommends: create and activate `.venv` once per
 * shell, before the first call that needs it, and add `python3-venv` to the job's apt line on
 * Debian/Ubuntu (without it `python3 -m venv` fails, shared/knowledge/pip-behaviour.md N01). A venv
 * made in an earlier shell of the job is only re-activated. flit is told to install into the venv
 * (`--python`), because it otherwise targets the Python that runs it, even with a venv active.
 * Unsafe: later commands that expect the packages in the system Python would change behaviour.
 */

import { checkInstall, type InstallCheck } from '../engine/pip-target.ts';
import type { JobAnalysis, Step } from '../engine/simulate.ts';
import { isDebianFamily } from '../environment/knowledge.ts';
import type { PythonEnvironment } from '../environment/resolve.ts';
import type { Edit, Fix } from '../model/finding.ts';
import { relativePath, resolvePath } from '../shell/paths.ts';
import { addAptPackage, aptLineBefore, installed } from './apt.ts';
import { deleteWord, insertAfter, insertStatementBefore } from './insert.ts';

export const VENV_DIR = '.venv';

/** Whether activating a venv before this failing call makes it install into the venv. */
function venvCanRedirect(step: Step, check: InstallCheck): boolean {
  const a = step.action;
  // sudo resets PATH; explicit paths and uv/pip-sync/pipenv pick their own Python
  if (step.command.sudo) return false;
  if (
    (a.kind === 'pip' || a.kind === 'get-pip') &&
    (a.interpreter.dir !== undefined || a.args.python !== undefined)
  )
    return false;
  if (check.tool !== 'pip' && check.tool !== 'flit') return false;
  // `python3 -m flit` would run the venv's python3 after activation, which has no flit
  return !(a.kind === 'flit-install' && a.interpreter.form === 'python-module');
}

const needsVenv = (s: Step, env: PythonEnvironment) => {
  const c = checkInstall(s, env);
  return c?.hitsSystem && !c.override && venvCanRedirect(s, c);
};

/**
 * Where the venv goes: the first call up to `step` that needs it, in `step`'s shell or one enclosing
 * it (a venv activated inside `sh -c '…'` is gone when that returns; a later call is not the one failing).
 */
function firstNeedingVenv(step: Step, analysis: JobAnalysis, env: PythonEnvironment): Step {
  const within = step.command.subshells;
  for (const s of analysis.steps) {
    if (s === step) break;
    const enclosing = s.command.subshells.every((id, k) => within[k] === id);
    if (s.shell === step.shell && enclosing && needsVenv(s, env)) return s;
  }
  return step;
}

export function venvFix(
  step: Step,
  check: InstallCheck,
  analysis: JobAnalysis,
  env: PythonEnvironment,
  source: string,
): Fix | null {
  if (!venvCanRedirect(step, check)) return null;
  const a = step.action;
  const group = `venv:${analysis.job.name}:${analysis.job.shells.indexOf(step.shell)}`;
  const fix = (title: string, edits: (Edit | null)[]): Fix | null =>
    edits.some((e) => e === null)
      ? null
      : { title, strategy: 'venv', applicability: 'unsafe', edits: edits as Edit[], group };

  // a venv is active but the distribution's flit ignores it: point flit at it
  if (step.state.venv) {
    const dir = step.state.venv.dir;
    return fix(`Install into the active venv (${dir}) with flit --python`, [flitPython(step, dir, source)]);
  }

  const first = firstNeedingVenv(step, analysis, env);
  // `a || python3 -m venv … && pip …` would run the venv line only when `a` fails
  if (first.command.before === '||') return null;
  const flitEdit = a.kind === 'flit-install' && a.python === undefined && step.state.flitFrom !== 'venv';
  const madeEarlier = venvMadeEarlier(analysis, first);
  if (madeEarlier) {
    return fix(
      `Activate the venv ${madeEarlier} (made earlier in this job) in this shell too`,
      [
        insertStatementBefore(first.line, first.command, `. ${madeEarlier}/bin/activate && `, source),
        flitEdit ? flitPython(step, madeEarlier, source) : undefined,
        ...dropFlagsForVenv(step, source),
      ].filter((e) => e !== undefined),
    );
  }

  const python = venvPython(first.action);
  // a GitHub step is a shell of its own: hand the venv to the later steps too
  const persist = step.shell.kind === 'step' ? `echo "$PWD/${VENV_DIR}/bin" >> "$GITHUB_PATH" && ` : '';
  // the venv stays active for the rest of the shell: what apt installed must stay importable there
  const libraries = distroLibraries(analysis);
  const options = libraries.length > 0 ? ' --system-site-packages' : '';
  let create = `${python} -m venv${options} ${VENV_DIR} && . ${VENV_DIR}/bin/activate && ${persist}`;
  const edits: (Edit | null)[] = [];
  let note = libraries.length > 0 ? ` (seeing the system's ${libraries.join(', ')})` : '';
  const debianFamily = isDebianFamily(env.distro);
  if (debianFamily && !env.venvReady && !installed(analysis, /^python3(\.\d+)?-(venv|full)$/)) {
    const apt = aptLineBefore(analysis, first);
    const aptEdit = apt ? addAptPackage(apt, 'python3-venv', source) : null;
    if (aptEdit) {
      edits.push(aptEdit);
      note += ' (adds python3-venv to the apt-get line)';
    } else {
      create = `apt-get update && apt-get install -y python3-venv && ${create}`;
      note += ' (installs python3-venv first)';
    }
  }
  edits.push(insertStatementBefore(first.line, first.command, create, source));
  if (flitEdit) edits.push(flitPython(step, VENV_DIR, source));
  edits.push(...dropFlagsForVenv(step, source));
  const where = persist ? 'in this step (and put it on PATH for the later steps)' : 'in this shell';
  return fix(`Create a virtual environment (${VENV_DIR}) ${where} and install into it${note}`, edits);
}

/** Python libraries a distribution package manager installed: not pip, venv or headers. */
const LIBRARY_PACKAGE =
  /^(python3-(?!(pip|venv|dev|full|minimal|distutils|all|is-python3)(:|=|$))|py3-(?!(pip|virtualenv)(=|$)))/;

/**
 * The distribution's Python libraries the job installs (`python3-apt`, `py3-yaml`): a venv sees them
 * only when made with `--system-site-packages` (pip-behaviour.md V10), and the scripts after the fix
 * run in the venv.
 */
function distroLibraries(analysis: JobAnalysis): string[] {
  const names = analysis.installs.flatMap((i) => i.packages.filter((p) => LIBRARY_PACKAGE.test(p)));
  return [...new Set(names.map((p) => p.replace(/[:=].*$/, '')))];
}

/**
 * Flags the venv's pip may refuse: `--user` makes pip fail inside a venv (pip-behaviour.md V07), and
 * `--break-system-packages`, which means nothing in a venv, is unknown to a venv's pip older than
 * 23.0.1 (Ubuntu 22.04's venv brings pip 22.0.2). The venv fix drops both.
 */
function dropFlagsForVenv(step: Step, source: string): (Edit | null)[] {
  const a = step.action;
  if (a.kind !== 'pip') return [];
  const flags = [
    ...(a.args.user ? ['--user'] : []),
    ...(a.args.breakSystemPackages ? ['--break-system-packages'] : []),
  ];
  return flags.map((flag) => {
    const word = step.command.argv.find((w) => w.value === flag);
    // `-U`-style combined flags or an attached form: not safe to rewrite
    if (!word) return null;
    return deleteWord(
      step.line,
      step.command.toRoot(word.start),
      step.command.toRoot(word.end - 1) + 1,
      source,
    );
  });
}

/** ` --python DIR/bin/python` after a flit install command. */
function flitPython(step: Step, dir: string, source: string): Edit | null {
  return insertAfter(step.line, step.command.end - 1, ` --python ${dir}/bin/python`, source);
}

/**
 * A venv created earlier in the job (in an earlier shell, or in this one and left since), as a path from
 * where `step` runs, if any.
 */
function venvMadeEarlier(analysis: JobAnalysis, step: Step): string | undefined {
  for (const s of analysis.steps) {
    if (s === step) break;
    if (s.action.kind === 'venv-create' && s.action.tool !== 'uv') return pathFrom(step, s, s.action.dir);
  }
  return undefined;
}

/** `dir`, written where `made` ran, as a path from where `here` runs (a new shell starts elsewhere). */
function pathFrom(here: Step, made: Step, dir: string): string {
  const target = resolvePath(made.state.cwd, dir);
  if (target === null || here.state.cwd === null || dir.startsWith('/')) return dir;
  return relativePath(here.state.cwd, target);
}

/**
 * The Python that makes the venv: the one the failing command names, so its pip is in the venv under
 * the same name (`python3.12 -m pip`, and `pip3.12`, which a venv of python3.12 has too).
 */
function venvPython(a: Step['action']): string {
  if (a.kind !== 'pip') return 'python3';
  if (a.interpreter.form === 'python-module') return a.interpreter.spelled;
  const version = /^pip(\d+\.\d+)$/.exec(a.interpreter.spelled)?.[1];
  return version ? `python${version}` : 'python3';
}
