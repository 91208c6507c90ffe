import { caughtFailure } from '../../src/engine/messages.ts';
import {
  checkInstall,
  type InstallCheck,
  lostToSudo,
  pipBoolean,
  type VarLookup,
} from '../../src/engine/pip-target.ts';
import { pipenvIsRefused } from '../../src/engine/refusal.ts';
import { defineRule, type RuleContext } from '../../src/engine/rule.ts';
import { commandSpan, type Step } from '../../src/engine/simulate.ts';
import { ignoreInstalledEdits, setBeforeProgram } from '../../src/fixes/override.ts';
import type { Edit, Fix } from '../../src/model/finding.ts';
import { sudoPastEnvironment } from '../sudo-pip-system/rule.ts';

/** A variable sudo drops and what its loss does (indirect-pip.md U01–U08, E15, P12). */
interface Dropped {
  name: string;
  lost: VarLookup;
  effect: string;
}

export default defineRule({
  id: 'override-dropped-by-sudo',
  severity: 'error',
  summary:
    'PIP_BREAK_SYSTEM_PACKAGES, FLIT_ROOT_INSTALL or POETRY_VIRTUALENVS_CREATE set before sudo, which drops it',
  fixable: 'safe',
  since: '0.1.0',
  check(ctx) {
    // sudo's env_reset is the sudoers default on Linux; Windows runners have no sudo
    if (ctx.env.runner?.os === 'windows') return;
    for (const step of ctx.analysis.steps) {
      if (!step.command.sudo) continue;
      const dropped = droppedHere(ctx, step);
      if (dropped.length === 0) continue;
      // flit's root check fails wherever it runs; pip's refusal is as sure as the image is known
      const sure =
        dropped.some((d) => d.name === 'FLIT_ROOT_INSTALL') ||
        (dropped.some((d) => d.name === 'PIP_BREAK_SYSTEM_PACKAGES') && ctx.env.certainty === 'certain');
      const caught = caughtFailure(step);
      const names = dropped.map((d) => `${d.name} (${d.lost.source})`).join(' and ');
      const keep = dropped.map((d) => `${d.name}=${d.lost.value}`).join(' ');
      const fix = keepPastSudo(ctx, step, dropped);
      ctx.report({
        span: commandSpan(step.line, step.command),
        severity: sure && !caught ? 'error' : 'warning',
        message:
          `job ${ctx.job.label} runs sudo ${step.command.argv[0]?.value ?? ''}: sudo resets the environment, so ${names} ` +
          `${dropped.length > 1 ? 'do' : 'does'} not reach it: ${dropped.map((d) => d.effect).join('; ')}${caught ? ` (${caught})` : ''} — ` +
          `set ${dropped.length > 1 ? 'them' : 'it'} past sudo (sudo env ${keep} …), or keep the caller's with sudo -E or --preserve-env=${dropped.map((d) => d.name).join(',')}`,
        fixes: fix ? [fix] : [],
      });
    }
  },
});

/**
 * True when this step's install is refused only because sudo dropped PIP_BREAK_SYSTEM_PACKAGES: this
 * rule reports it, so the PEP 668 rules leave the line alone (one finding per line).
 */
export function pipOverrideDroppedBySudo(ctx: RuleContext, step: Step, check: InstallCheck): boolean {
  if (ctx.env.managed !== 'yes' || !check.hitsSystem || check.override || !step.command.sudo) return false;
  if (check.overrideVariable !== 'PIP_BREAK_SYSTEM_PACKAGES') return false;
  const a = step.action;
  // --isolated ignores the variable anyway; get-pip.py and sudo past a venv have rules of their own
  if ((a.kind === 'pip' && a.args.isolated) || a.kind === 'get-pip' || sudoPastEnvironment(step))
    return false;
  if (check.tool === 'pipenv' && !pipenvIsRefused(ctx.analysis, ctx.env)) return false;
  const lost = lostToSudo(step, check.overrideVariable);
  return lost !== undefined && pipBoolean(lost.value) === true;
}

function droppedHere(ctx: RuleContext, step: Step): Dropped[] {
  const out: Dropped[] = [];
  const a = step.action;
  const lost = (name: string) => lostToSudo(step, name);
  if (a.kind === 'flit-install') {
    // flit refuses root before it runs pip (indirect-pip.md F01, U07)
    const flit = lost('FLIT_ROOT_INSTALL');
    if (flit && pipBoolean(flit.value) === true)
      out.push({
        name: 'FLIT_ROOT_INSTALL',
        lost: flit,
        effect: 'flit stops as root with "RootInstallError: Installing packages as root is not recommended"',
      });
  }
  const check = checkInstall(step, ctx.env);
  if (check && pipOverrideDroppedBySudo(ctx, step, check))
    out.push({
      name: 'PIP_BREAK_SYSTEM_PACKAGES',
      lost: lostToSudo(step, 'PIP_BREAK_SYSTEM_PACKAGES')!,
      effect: `${check.tool === 'pip' ? 'pip' : `${check.label} runs pip, which`} refuses with "externally-managed-environment"`,
    });
  if (a.kind === 'poetry' && ['install', 'add', 'update', 'sync'].includes(a.subcommand ?? '')) {
    const create = lost('POETRY_VIRTUALENVS_CREATE');
    if (create && pipBoolean(create.value) === false)
      out.push({
        name: 'POETRY_VIRTUALENVS_CREATE',
        lost: create,
        effect:
          "poetry silently creates a venv in root's ~/.cache/pypoetry/virtualenvs and installs there, where later commands do not look",
      });
  }
  return out;
}

/** `sudo env VAR=value … cmd`, with `--ignore-installed` where Debian 13 needs it. Literal values only. */
function keepPastSudo(ctx: RuleContext, step: Step, dropped: Dropped[]): Fix | null {
  if (!step.line.exact || dropped.some((d) => !/^[\w.,:/@%+-]*$/.test(d.lost.value))) return null;
  const source = ctx.source(step.line.path);
  const set = setBeforeProgram(
    step,
    dropped.map((d) => `${d.name}=${d.lost.value}`),
    source,
  );
  const keep = dropped.some((d) => d.name === 'PIP_BREAK_SYSTEM_PACKAGES')
    ? ignoreInstalledEdits(step, ctx.env, ctx.analysis, source)
    : [];
  if (!set || keep === null) return null;
  const edits: Edit[] = [set, ...keep];
  return {
    title: `Set ${dropped.map((d) => d.name).join(' and ')} past sudo (sudo env …)`,
    strategy: 'override',
    applicability: 'safe',
    edits,
  };
}
