import { pipAbsent } from '../../src/engine/pip-presence.ts';
import { checkInstall } from '../../src/engine/pip-target.ts';
import { defineRule } from '../../src/engine/rule.ts';
import { commandSpan, type JobAnalysis, type Step } from '../../src/engine/simulate.ts';
import { isDebianFamily } from '../../src/environment/knowledge.ts';
import { isPythonPackage } from '../../src/environment/resolve.ts';
import { fixesFor } from '../../src/fixes/index.ts';
import { pipKnowsFlag } from '../../src/fixes/override.ts';
import { installedBefore } from '../venv-module-missing/rule.ts';

/** How to install the distribution's pip (environments.md §1). */
const PIP_INSTALL: Record<string, string> = {
  debian: 'apt-get install -y python3-pip',
  ubuntu: 'apt-get install -y python3-pip',
  kali: 'apt-get install -y python3-pip',
  alpine: 'apk add py3-pip',
  arch: 'pacman -S --noconfirm python-pip',
};

export default defineRule({
  id: 'pip-not-installed',
  severity: 'error',
  summary: 'pip called on an image whose Python has no pip (debian, ruby, node:*-bookworm …)',
  fixable: 'unsafe',
  since: '0.1.0',
  check(ctx) {
    const env = ctx.env;
    for (const step of ctx.analysis.steps) {
      const a = step.action;
      if (a.kind !== 'pip') continue;
      // a pip or python given by path is someone's own (a venv's …), except the system's directories
      if (a.interpreter.dir !== undefined && !/^(\/usr)?\/bin$/.test(a.interpreter.dir)) continue;
      // a bare name resolves through PATH: an active venv, conda env or setup-python brings its own pip
      // (`sudo pip` past one of them is sudo-pip-system's)
      if (a.interpreter.dir === undefined && (step.state.venv || step.state.conda || step.state.pathPython))
        continue;
      // whatever pip is asked to do (install, --target, download, --version), it has to exist first
      if (!pipAbsent(env, ctx.analysis, step)) continue;
      // `python3 -m ensurepip` gives pip where it works (Alpine ≤ 3.18 …); where it is refused,
      // ensurepip-disabled reports that line. Debian disables it for the system python3 (S28).
      const debian = isDebianFamily(env.distro);
      if (!debian && ensurepipBefore(ctx.analysis, step)) continue;
      const check = checkInstall(step, env);
      const label = check?.label ?? (a.args.subcommand ? `pip ${a.args.subcommand}` : 'pip');
      const noPython = env.pythonInImage === false && !installedBefore(ctx.analysis, step, isPythonPackage);
      const missing =
        a.interpreter.form === 'pip-script' || noPython
          ? `${a.interpreter.spelled}: command not found`
          : 'No module named pip';
      const pipInstall = PIP_INSTALL[env.distro ?? ''] ?? "the distribution's pip package";
      // download, wheel, --target, --version … are not refused by PEP 668 (pip-behaviour.md S14–S17)
      const refused = env.managed === 'yes' && check?.hitsSystem === true && !check.override;
      // the distribution's pip would then meet the flag it may not know (break-system-packages-unsupported)
      const oldPip = a.args.breakSystemPackages && env.pip !== undefined && !pipKnowsFlag(env.pip);
      const trap = refused
        ? `; installing the distribution's pip (${pipInstall}) only trades this for PEP 668 ("externally-managed-environment") on this image, so`
        : oldPip
          ? `; install the distribution's pip first (${pipInstall}) and drop --break-system-packages, which that pip (${env.pip}) predates and rejects, or`
          : `; install the distribution's pip first (${pipInstall}), or`;
      const venv = debian
        ? 'apt-get install -y python3-venv && python3 -m venv .venv'
        : env.distro === 'alpine' && noPython
          ? 'apk add python3 && python3 -m venv .venv'
          : 'python3 -m venv .venv';
      const caught = step.command.after === '||' || step.state.errexitOff;
      // the venv fix installs python3-venv (and with it python3) on Debian/Ubuntu; elsewhere, with no
      // python3 at all, `python3 -m venv` would fail too. An override would not install pip.
      const fixes =
        check?.hitsSystem && (debian || !noPython)
          ? fixesFor(ctx, step, check).filter((f) => f.strategy === 'venv')
          : [];
      ctx.report({
        span: commandSpan(step.line, step.command),
        severity: caught ? 'warning' : 'error',
        message:
          `job ${ctx.job.label} runs ${label} on ${env.description}, which has ${noPython ? 'no python3 and ' : ''}no pip, ` +
          `and the job installs none before this line: "${missing}"${caught ? ' (`||` or `set +e` lets the job go on)' : ''}` +
          `${trap} create a venv (${venv}), which brings its own pip`,
        fixes,
      });
    }
  },
});

/** Per job, the position of the first `python3 -m ensurepip`, so each pip step is checked in O(1). */
const firstEnsurepip = new WeakMap<JobAnalysis, { at: Map<Step, number>; first: number }>();

function ensurepipBefore(analysis: JobAnalysis, step: Step): boolean {
  let p = firstEnsurepip.get(analysis);
  if (!p) {
    const first = analysis.steps.findIndex((s) => s.action.kind === 'ensurepip');
    p = {
      at: new Map(analysis.steps.map((s, i) => [s, i])),
      first: first === -1 ? Number.POSITIVE_INFINITY : first,
    };
    firstEnsurepip.set(analysis, p);
  }
  return p.first < (p.at.get(step) ?? -1);
}
