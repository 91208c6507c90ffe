import { defineRule } from '../../src/engine/rule.ts';
import { commandSpan, type Step } from '../../src/engine/simulate.ts';
import { insertAfter } from '../../src/fixes/insert.ts';

export default defineRule({
  id: 'pipx-bin-not-on-path',
  severity: 'error',
  summary: 'a command installed with pipx is run while ~/.local/bin (or PIPX_BIN_DIR) is not on PATH',
  fixable: 'safe',
  since: '0.1.0',
  check(ctx) {
    // hosted runners put ~/.local/bin on PATH; in a container (GitLab image, GitHub container:) it is not
    if (ctx.job.runner && !ctx.job.image) return;
    const steps = ctx.analysis.steps;
    steps.forEach((step, i) => {
      const a = step.action;
      if (a.kind !== 'pipx' || a.subcommand !== 'install' || a.packages.length === 0) return;
      const names = new Set(a.packages.map((w) => w.value.toLowerCase().replace(/[[<>=!~;@ ].*$/, '')));
      const binDir =
        step.command.assignments.find((x) => x.name === 'PIPX_BIN_DIR')?.value ??
        step.state.env.get('PIPX_BIN_DIR')?.value ??
        '$HOME/.local/bin';
      // a bare command name: `~/.local/bin/gcovr` (a path) does not need PATH
      const use = steps
        .slice(i + 1)
        .find(
          (s) =>
            s.action.kind === 'other' &&
            !s.command.argv[0]?.value.includes('/') &&
            names.has(s.action.name) &&
            !onPath(s, binDir),
        );
      if (!use) return;
      const source = ctx.source(step.line.path);
      const edit =
        step.command.after === '|'
          ? null
          : insertAfter(step.line, step.command.end - 1, ` && export PATH="${binDir}:$PATH"`, source);
      ctx.report({
        span: commandSpan(use.line, use.command),
        severity: 'error',
        message:
          `job ${ctx.job.label} runs ${use.action.kind === 'other' ? use.action.name : 'it'}, installed with pipx install, but ${binDir} is not on PATH ` +
          '(pipx only warns; `pipx ensurepath` changes shell startup files, not this shell): "command not found" — ' +
          `export PATH="${binDir}:$PATH" after the install, or use pipx run`,
        related: [{ span: commandSpan(step.line, step.command), label: 'installed here' }],
        fixes: edit
          ? [
              {
                title: `Put ${binDir} on PATH after pipx install`,
                strategy: 'pipx',
                applicability: 'safe',
                edits: [edit],
              },
            ]
          : [],
      });
    });
  },
});

/** True when PATH, as the shell has it at this step, holds the pipx bin folder. */
function onPath(step: Step, binDir: string): boolean {
  const path = step.state.env.get('PATH')?.value ?? '';
  const wanted = [binDir, '.local/bin', '$HOME/.local/bin', '~/.local/bin', '/root/.local/bin'];
  return wanted.some((w) => path.includes(w));
}
