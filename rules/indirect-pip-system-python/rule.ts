import { checkInstall, type InstallCheck } from '../../src/engine/pip-target.ts';
import { pipenvIsRefused, reportRefusal } from '../../src/engine/refusal.ts';
import { defineRule } from '../../src/engine/rule.ts';
import { pipOverrideDroppedBySudo } from '../override-dropped-by-sudo/rule.ts';

/** How each tool meets PEP 668 (shared/knowledge/indirect-pip.md). */
const HOW: Record<Exclude<InstallCheck['tool'], 'pip'>, string> = {
  flit: 'flit runs pip to install the project and its dependencies',
  uv: 'uv honours the marker and ignores pip.conf and PIP_* variables',
  pipenv: 'pipenv --system runs its pip against the system Python',
  'pip-sync': 'pip-sync runs pip install/uninstall for the Python it runs on',
  ansible: "Ansible's pip module runs pip for the target's Python, here the job's own",
};

export default defineRule({
  id: 'indirect-pip-system-python',
  severity: 'error',
  summary:
    'a tool that runs pip for you (flit, uv pip --system, pipenv --system, pip-sync, Ansible) targets an externally managed Python',
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
        remedy:
          check.tool === 'uv'
            ? 'use a venv (uv venv), or set UV_BREAK_SYSTEM_PACKAGES=1'
            : 'use a venv, pipx for applications, or set PIP_BREAK_SYSTEM_PACKAGES=1 (flags cannot reach the inner pip)',
      });
    }
  },
});
