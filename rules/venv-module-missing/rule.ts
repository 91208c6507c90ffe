import { defineRule } from '../../src/engine/rule.ts';
import { commandSpan } from '../../src/engine/simulate.ts';
import { addAptPackage, aptLineBefore, installed } from '../../src/fixes/apt.ts';
import { insertBefore } from '../../src/fixes/insert.ts';

const DEBIAN_FAMILY = new Set(['debian', 'ubuntu', 'kali']);

export default defineRule({
  id: 'venv-module-missing',
  severity: 'error',
  summary: 'python3 -m venv on Debian/Ubuntu without python3-venv: "ensurepip is not available"',
  fixable: 'safe',
  since: '0.1.0',
  check(ctx) {
    const env = ctx.env;
    if (!env.distro || !DEBIAN_FAMILY.has(env.distro) || env.venvReady) return;
    // images that ship their own pip (cloud-sdk …) may ship python3-venv too: not guessed
    if (env.knowledge?.pipInImage) return;
    for (const step of ctx.analysis.steps) {
      const a = step.action;
      if (a.kind !== 'venv-create' || a.tool !== 'venv') continue;
      if (step.command.argv.some((w) => w.value === '--without-pip')) continue; // works without ensurepip (N03)
      if (step.state.venv || step.state.conda || step.state.pathPython) continue; // not the system python3
      if (a.interpreter.dir !== undefined && !/^\/usr\/bin$|^\/bin$/.test(a.interpreter.dir)) continue;
      if (installed(ctx.analysis, /^python3(\.\d+)?-(venv|full)$/)) continue;
      const source = ctx.source(step.line.path);
      const apt = aptLineBefore(ctx.analysis, step);
      const aptEdit = apt ? addAptPackage(apt, 'python3-venv', source) : null;
      const edit =
        aptEdit ??
        insertBefore(
          step.line,
          step.command.statementStart,
          'apt-get update && apt-get install -y python3-venv && ',
          source,
        );
      ctx.report({
        span: commandSpan(step.line, step.command),
        severity: env.certainty === 'certain' ? 'error' : 'warning',
        message:
          `job ${ctx.job.label} runs ${step.line.text.slice(step.command.start, step.command.end)} on ${env.description}, ` +
          'where python3 -m venv needs the python3-venv package (Debian splits ensurepip out), and the job does not install it: ' +
          'it fails with "ensurepip is not available" — add python3-venv (or python3-full) to the apt-get install line',
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
