import { defineRule } from '../../src/engine/rule.ts';
import { commandSpan, type JobAnalysis, type Step } from '../../src/engine/simulate.ts';
import { isDebianFamily } from '../../src/environment/knowledge.ts';
import { isPythonPackage } from '../../src/environment/resolve.ts';
import { addAptPackage, aptLineBefore } from '../../src/fixes/apt.ts';
import { insertStatementBefore } from '../../src/fixes/insert.ts';
import type { PackageManager } from '../../src/shell/classify.ts';

/**
 * apt packages that bring `ensurepip` for the system python3: python3-venv / python3.X-venv,
 * python3-full, and Debian's pipx, which has python3.X-venv as a hard Depends (pip-behaviour.md, pipx facts).
 */
const VENV_PACKAGES = /^(python3(\.\d+)?-(venv|full)|pipx)(:[a-z0-9]+)?(=.*)?$/;

type PackageTest = (manager: PackageManager, p: string) => boolean;

/** Per job: each step's position, and per package test the position of the first matching install. */
const positions = new WeakMap<JobAnalysis, { at: Map<Step, number>; first: Map<PackageTest, number> }>();

/** True when a package install matching `test` runs before `step` (earlier shells of the job ran first). */
export function installedBefore(analysis: JobAnalysis, step: Step, test: PackageTest): boolean {
  let p = positions.get(analysis);
  if (!p) {
    p = { at: new Map(analysis.steps.map((s, i) => [s, i])), first: new Map() };
    positions.set(analysis, p);
  }
  let first = p.first.get(test);
  if (first === undefined) {
    // installs carry the packages with variables expanded; match them to their steps by span
    const key = (x: { path: string; start: number; end: number }) => `${x.path}:${x.start}:${x.end}`;
    const matching = new Set(
      analysis.installs.filter((i) => i.packages.some((pkg) => test(i.manager, pkg))).map((i) => key(i.span)),
    );
    first = analysis.steps.findIndex(
      (s) => s.action.kind === 'package-install' && matching.has(key(commandSpan(s.line, s.command))),
    );
    if (first === -1) first = Number.POSITIVE_INFINITY;
    p.first.set(test, first);
  }
  return first < (p.at.get(step) ?? -1);
}

const venvPackage: PackageTest = (m, p) => m === 'apt' && VENV_PACKAGES.test(p);

export default defineRule({
  id: 'venv-module-missing',
  severity: 'error',
  summary: 'python3 -m venv on Debian/Ubuntu without python3-venv: "ensurepip is not available"',
  fixable: 'safe',
  since: '0.1.0',
  check(ctx) {
    const env = ctx.env;
    if (!isDebianFamily(env.distro) || env.venvReady) return;
    // images that ship their own pip (cloud-sdk …) may ship python3-venv too: not guessed
    if (env.knowledge?.pipInImage) return;
    for (const step of ctx.analysis.steps) {
      const a = step.action;
      if (a.kind !== 'venv-create' || a.tool !== 'venv') continue;
      if (step.command.argv.some((w) => w.value === '--without-pip')) continue; // works without ensurepip (N03)
      if (step.state.venv || step.state.conda || step.state.pathPython) continue; // not the system python3
      if (a.interpreter.dir !== undefined && !/^\/usr\/bin$|^\/bin$/.test(a.interpreter.dir)) continue;
      // only an install that runs *before* this line helps
      if (installedBefore(ctx.analysis, step, venvPackage)) continue;
      const noPython = env.pythonInImage === false && !installedBefore(ctx.analysis, step, isPythonPackage);
      const source = ctx.source(step.line.path);
      const apt = aptLineBefore(ctx.analysis, step);
      const aptEdit = apt ? addAptPackage(apt, 'python3-venv', source) : null;
      const edit =
        aptEdit ??
        insertStatementBefore(
          step.line,
          step.command,
          'apt-get update && apt-get install -y python3-venv && ',
          source,
        );
      // `python3 -m venv .venv || virtualenv .venv`, `set +e`: the job goes on, maybe with a fallback
      const caught = step.command.after === '||' || step.state.errexitOff;
      const failure = noPython
        ? 'the image has not even python3 yet, so it fails with "python3: command not found" (python3-venv brings python3 along)'
        : 'it fails with "ensurepip is not available" and leaves a half-made venv without pip';
      const remedy = aptEdit
        ? 'add python3-venv (or python3-full) to the apt-get install line'
        : 'install python3-venv (or python3-full) with apt-get before this line';
      ctx.report({
        span: commandSpan(step.line, step.command),
        severity: env.certainty === 'certain' && !caught ? 'error' : 'warning',
        message:
          `job ${ctx.job.label} runs ${step.line.text.slice(step.command.start, step.command.end)} on ${env.description}, ` +
          'where python3 -m venv needs the python3-venv package (Debian and Ubuntu split ensurepip out), and the job does not install it before this line: ' +
          `${failure}${caught ? ' (`||` or `set +e` lets the job go on, without this venv)' : ''} — ${remedy}`,
        fixes: edit
          ? [
              {
                title: aptEdit
                  ? 'Add python3-venv to the apt-get install line'
                  : 'Install python3-venv first',
                strategy: 'venv',
                applicability: aptEdit ? 'safe' : 'unsafe',
                edits: [edit],
              },
            ]
          : [],
      });
    }
  },
});
