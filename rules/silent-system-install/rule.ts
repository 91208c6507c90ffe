import { checkInstall, lostToSudo } from '../../src/engine/pip-target.ts';
import { pipenvIsRefused } from '../../src/engine/refusal.ts';
import { defineRule, type RuleContext } from '../../src/engine/rule.ts';
import { commandSpan, type Step } from '../../src/engine/simulate.ts';
import { poetryWithoutVenv } from '../override-scope-too-wide/rule.ts';

export default defineRule({
  id: 'silent-system-install',
  severity: 'info',
  summary:
    'a tool installs into an externally managed Python without meeting the PEP 668 check (pipenv on Debian 12, poetry without venvs, setup.py install, flit --symlink)',
  fixable: 'none',
  since: '0.1.0',
  check(ctx) {
    if (ctx.env.managed !== 'yes') return;
    for (const step of ctx.analysis.steps) {
      const bypass = bypassOf(ctx, step);
      if (!bypass) continue;
      ctx.report({
        span: commandSpan(step.line, step.command),
        severity: 'info',
        message:
          `job ${ctx.job.label} installs into ${ctx.env.description} with ${bypass.tool}, which never meets the PEP 668 check: ${bypass.how}. ` +
          `It works today, beside apt's packages, and ${bypass.future} — use a venv (python3 -m venv .venv) ${bypass.venv}`,
      });
    }
  },
});

interface Bypass {
  tool: string;
  how: string;
  /** What happens when the tool or the image moves on. */
  future: string;
  /** How to point this tool at a venv. */
  venv: string;
}

function bypassOf(ctx: RuleContext, step: Step): Bypass | null {
  const a = step.action;
  const system = !(step.state.venv || step.state.conda || step.state.pathPython);
  switch (a.kind) {
    case 'pipenv': {
      // Debian 12's pipenv: vendored pip 22.3.1, before PEP 668 (indirect-pip.md E02–E07, rule 2)
      const check = checkInstall(step, ctx.env);
      if (!check?.hitsSystem || check.override || pipenvIsRefused(ctx.analysis, ctx.env)) return null;
      return {
        tool: `Debian 12's pipenv (${check.label})`,
        how: 'it runs its vendored pip 22.3.1, older than PEP 668, which installs into /usr/local without a check',
        future:
          "Debian 13's pipenv (vendored pip 24.0) refuses the same line with externally-managed-environment, so the job breaks when the image moves to trixie",
        venv: 'and drop --system',
      };
    }
    case 'poetry': {
      if (!system || !poetryWithoutVenv(step, ['install', 'add'])) return null;
      // `install --sync` also removes, which is refused: indirect-pip-system-python's
      if (step.command.argv.some((w) => w.value === '--sync')) return null;
      // with the variable lost to sudo poetry makes a venv instead: override-dropped-by-sudo says so
      if (step.command.sudo && lostToSudo(step, 'POETRY_VIRTUALENVS_CREATE')) return null;
      return {
        tool: 'poetry (virtualenvs.create false)',
        how: 'poetry 1.3 runs pip with --prefix, which skips the check, and poetry 2 installs wheels itself',
        future:
          'nothing stops it from replacing what apt installed; removals (poetry remove, sync) do go through pip and are refused',
        venv: 'and let poetry use it (the default, virtualenvs.create true)',
      };
    }
    case 'setup-py': {
      if (!system || (a.interpreter.dir !== undefined && !/^(\/usr)?\/bin$/.test(a.interpreter.dir)))
        return null;
      return {
        tool: `setuptools (setup.py ${a.subcommand})`,
        how: 'setuptools < 80 (Debian 12: 66.1.1, Debian 13: 78.1.1) writes the egg into /usr/local itself, without pip',
        future:
          a.subcommand === 'develop'
            ? 'setuptools 80 runs pip for develop ("no longer uses easy_install, but instead defers execution to pip"), which refuses it'
            : 'setup.py install is deprecated by setuptools; pip install . is the way that stays',
        venv: 'and pip install . (or -e .) there',
      };
    }
    case 'flit-install': {
      // --symlink/--pth-file with --deps none writes the files itself (F04, F05, F16)
      if (!a.symlink || !a.noDeps || a.python !== undefined || !system) return null;
      if (a.interpreter.dir !== undefined && !/^(\/usr)?\/bin$/.test(a.interpreter.dir)) return null;
      return {
        tool: 'flit (--symlink/--pth-file, --deps none)',
        how: 'flit links the project into /usr/local itself, without pip',
        future:
          'the moment the project gets dependencies (or --deps none goes), flit runs pip and is refused',
        venv: 'and flit install --python .venv/bin/python',
      };
    }
    default:
      return null;
  }
}
