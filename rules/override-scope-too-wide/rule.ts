import { checkInstall } from '../../src/engine/pip-target.ts';
import { defineRule } from '../../src/engine/rule.ts';

const OVERRIDE = 'PIP_BREAK_SYSTEM_PACKAGES';

export default defineRule({
  id: 'override-scope-too-wide',
  severity: 'info',
  summary:
    'PIP_BREAK_SYSTEM_PACKAGES set for jobs that do not need it (the whole pipeline, or an unmanaged image)',
  fixable: 'none',
  since: '0.1.0',
  check(ctx) {
    const variable = ctx.job.variables.get(OVERRIDE);
    if (!variable?.span || !/^(1|true|yes|on)$/i.test(variable.value.trim())) return;
    // unknown Pythons are not judged; on runners whose pip.conf overrides it, an explicit variable is what
    // relies-on-runner-pip-override recommends
    if (ctx.env.managed === 'unknown' || ctx.env.pipConfOverride) return;
    // would any install of this job be refused without it?
    const needs = ctx.analysis.steps.some((step) => {
      const without = {
        ...step,
        state: { ...step.state, env: new Map([...step.state.env].filter(([k]) => k !== OVERRIDE)) },
      };
      const check = checkInstall(without, ctx.env);
      return check?.hitsSystem && !check.override && ctx.env.managed === 'yes';
    });
    if (needs) return;
    const wide = variable.origin === 'global' || variable.origin === 'workflow';
    const reason =
      ctx.env.managed === 'no'
        ? `its Python (${ctx.env.description}) is not externally managed`
        : 'none of its installs reaches the system Python';
    ctx.report({
      span: variable.span,
      severity: 'info',
      message: wide
        ? `${OVERRIDE} is set for the whole ${variable.origin === 'global' ? 'pipeline' : 'workflow'}, but job ${ctx.job.label} does not need it: ${reason} — set it only on the jobs (or commands) that do, so a new pip call elsewhere does not silently change the system Python`
        : `job ${ctx.job.label} sets ${OVERRIDE}, which it does not need: ${reason} — remove it, so a later change cannot silently modify the system Python`,
    });
  },
});
