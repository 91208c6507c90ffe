import { refusesReplacingDebianPackages } from '../../src/engine/debian-replace.ts';
import { checkInstall, type InstallCheck } from '../../src/engine/pip-target.ts';
import { pipenvIsRefused, reportRefusal } from '../../src/engine/refusal.ts';
import { defineRule } from '../../src/engine/rule.ts';
import type { PythonEnvironment } from '../../src/environment/resolve.ts';
import { pipOverrideDroppedBySudo } from '../override-dropped-by-sudo/rule.ts';

/** How each tool meets PEP 668 (shared/knowledge/indirect-pip.md). */
const HOW: Record<Exclude<InstallCheck['tool'], 'pip'>, string> = {
  flit: 'flit installs the project and its dependencies with pip',
  uv: 'uv honours the marker and ignores pip.conf and PIP_* variables',
  pipenv: 'pipenv installs with its own pip',
  'pip-sync': 'pip-sync runs pip install/uninstall for the Python it runs on',
  ansible: "Ansible's pip module runs pip on the target, here the job's own machine",
  poetry: 'poetry removes packages with pip uninstall',
};

/**
 * What gets each tool through (indirect-pip.md): flit takes no pip flag, only the variable (rule 1);
 * pip-sync's `--pip-args` reaches its `pip install` (T04), and on Debian 13 nothing but a venv helps,
 * as its uninstalls of apt's distributions are refused even under the override (T08, rule 4).
 */
function remedyFor(tool: Exclude<InstallCheck['tool'], 'pip'>, env: PythonEnvironment): string {
  switch (tool) {
    case 'uv':
      return 'use a venv (uv venv), or set UV_BREAK_SYSTEM_PACKAGES=1';
    case 'flit':
      return 'use a venv (flit install --python .venv/bin/python), pipx for applications, or set PIP_BREAK_SYSTEM_PACKAGES=1 (flit takes no pip flag; the variable reaches its pip)';
    case 'pipenv':
      return 'let pipenv make its venv (drop --system), or set PIP_BREAK_SYSTEM_PACKAGES=1';
    case 'pip-sync':
      return refusesReplacingDebianPackages(env)
        ? "run pip-sync in a venv (python3 -m venv .venv && .venv/bin/pip install pip-tools && .venv/bin/pip-sync …): on Debian 13 PIP_BREAK_SYSTEM_PACKAGES=1 does not help, as pip-sync then uninstalls apt's packages, which pip refuses"
        : 'run pip-sync in a venv, or set PIP_BREAK_SYSTEM_PACKAGES=1 (--pip-args "--break-system-packages" reaches only its pip install; on Debian 13 neither is enough)';
    case 'poetry':
      return 'let poetry make its venv (drop virtualenvs.create false), or set PIP_BREAK_SYSTEM_PACKAGES=1';
    case 'ansible':
      return "install into a venv (the pip module's virtualenv=…), or add break_system_packages=true or extra_args=--break-system-packages to its arguments";
  }
}

export default defineRule({
  id: 'indirect-pip-system-python',
  severity: 'error',
  summary:
    'a tool that runs pip for you (flit, uv pip --system, pipenv --system, pip-sync, Ansible, poetry removing packages) targets an externally managed Python',
  fixable: 'safe',
  since: '0.1.0',
  check(ctx) {
    if (ctx.env.managed !== 'yes') return;
    for (const step of ctx.analysis.steps) {
      const check = checkInstall(step, ctx.env);
      if (!check || check.tool === 'pip' || !check.hitsSystem || check.override) continue;
      if (check.tool === 'pipenv' && !pipenvIsRefused(ctx.analysis, ctx.env)) continue;
      if (pipOverrideDroppedBySudo(ctx, step, check)) continue; // override-dropped-by-sudo's
      reportRefusal(ctx, step, check, {
        how: HOW[check.tool],
        refuser: check.tool === 'uv' ? 'uv' : 'pip',
        remedy: remedyFor(check.tool, ctx.env),
      });
    }
  },
});
