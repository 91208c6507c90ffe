import { checkInstall, pipBoolean } from '../../src/engine/pip-target.ts';
import { defineRule } from '../../src/engine/rule.ts';
import type { Step } from '../../src/engine/simulate.ts';

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
    const steps = ctx.analysis.steps;
    // would any install of this job be refused without it? (uv reads only UV_BREAK_SYSTEM_PACKAGES)
    const needs =
      ctx.env.managed === 'yes' &&
      steps.some((step) => {
        const without = {
          ...step,
          state: { ...step.state, env: step.state.env.delete(OVERRIDE) },
        };
        const check = checkInstall(without, ctx.env);
        return (
          (check?.overrideVariable === OVERRIDE && check.hitsSystem && !check.override) ||
          // poetry's removals are judged by checkInstall; update may remove what the lock file drops
          poetryWithoutVenv(step, ['update'])
        );
      });
    if (needs) return;
    const wide = variable.origin === 'global' || variable.origin === 'workflow';
    const reason =
      ctx.env.managed === 'no'
        ? `its Python (${ctx.env.description}) is not externally managed`
        : 'it changes the outcome of no pip call of the job';
    ctx.report({
      span: variable.span,
      severity: 'info',
      // `job X runs …`: the same global variable reported for several jobs is merged into one finding
      message: wide
        ? `job ${ctx.job.label} runs with ${OVERRIDE} from the ${variable.origin === 'global' ? "pipeline's top-level variables" : "workflow's env"} without needing it (it changes the outcome of no pip call there) — set it only on the jobs (or commands) that need it, so a pip call added elsewhere cannot silently change a system Python`
        : `job ${ctx.job.label} runs with ${OVERRIDE} without needing it: ${reason} — remove it, so a later change cannot silently modify the system Python`,
    });
  },
});

/**
 * `poetry …` with `virtualenvs.create false` (POETRY_VIRTUALENVS_CREATE, which wins, or `poetry config`
 * earlier in the job) outside a venv, for the given subcommands: poetry then works on the system Python.
 */
export function poetryWithoutVenv(step: Step, subcommands: string[]): boolean {
  const a = step.action;
  if (a.kind !== 'poetry' || !subcommands.includes(a.subcommand ?? '')) return false;
  if (step.state.venv || step.state.conda || step.state.pathPython) return false;
  const variable = step.state.env.get('POETRY_VIRTUALENVS_CREATE');
  if (variable) return pipBoolean(variable.value) === false;
  return step.state.poetryNoVenv !== null;
}
