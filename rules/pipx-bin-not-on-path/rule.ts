import { defineRule } from '../../src/engine/rule.ts';
import { commandSpan, type Step } from '../../src/engine/simulate.ts';
import { insertStatementBefore } from '../../src/fixes/insert.ts';
import type { Edit } from '../../src/model/finding.ts';
import { inShellString } from '../../src/shell/commands.ts';

/** Where pipx links applications when PIPX_BIN_DIR is not set (pip-behaviour.md "pipx 1.1.0 facts"). */
const DEFAULT_BIN_DIR = '$HOME/.local/bin';

/** Names the shell runs itself, before any PATH lookup (POSIX special builtins, and bash's common ones). */
const SHELL_BUILTINS = new Set([
  ...[':', '.', 'break', 'continue', 'eval', 'exec', 'exit', 'export', 'readonly', 'return', 'set'],
  ...['shift', 'times', 'trap', 'unset', 'cd', 'source', 'alias', 'command', 'type', 'read', 'wait'],
  ...['local', 'declare', 'typeset', 'let', 'true', 'false', 'echo', 'printf', 'test', '[', 'hash'],
]);

export default defineRule({
  id: 'pipx-bin-not-on-path',
  severity: 'error',
  summary: 'a command installed with pipx is run while ~/.local/bin (or PIPX_BIN_DIR) is not on PATH',
  fixable: 'safe',
  since: '0.1.0',
  check(ctx) {
    // GitHub jobs without a container: the hosted Ubuntu image puts PIPX_BIN_DIR (/opt/pipx_bin) and
    // $HOME/.local/bin on PATH; other runners' PATH is unknown. In a container (GitLab image, GitHub
    // container:) neither is on PATH.
    if (ctx.job.runner && !ctx.job.image) return;
    const steps = ctx.analysis.steps;
    steps.forEach((step, i) => {
      const a = step.action;
      if (a.kind !== 'pipx' || a.subcommand !== 'install' || a.packages.length === 0) return;
      // pipx ≥ 1.5 `install --global` links into /usr/local/bin, which is on PATH
      if (step.command.argv.some((w) => w.value === '--global')) return;
      const names = new Set<string>();
      for (const w of a.packages) {
        const name = w.value.toLowerCase().replace(/[[<>=!~;@ ].*$/, '');
        names.add(name).add(name.replace(/_/g, '-'));
      }
      const custom =
        [...step.command.assignments].reverse().find((x) => x.name === 'PIPX_BIN_DIR')?.value ??
        step.state.env.get('PIPX_BIN_DIR')?.value;
      const binDir = custom === undefined ? DEFAULT_BIN_DIR : normalizeDir(custom);
      // the app called by name, whatever ci-lint makes of it (`poetry install`, `uv pip …` are actions
      // of their own); a path (`~/.local/bin/gcovr`) does not need PATH
      const use = steps.slice(i + 1).find((s) => {
        const program = s.command.argv[0];
        if (!program || program.value.includes('/') || SHELL_BUILTINS.has(program.value)) return false;
        return names.has(program.value) && !onPath(s, custom);
      });
      if (!use) return;
      const program = use.command.argv[0]!.value;
      const edit = pathFix(step, use, binDir, ctx.source(step.line.path));
      ctx.report({
        span: commandSpan(use.line, use.command),
        severity: 'error',
        message:
          `job ${ctx.job.label} runs ${program}, installed with pipx install, but ${binDir} is not on PATH` +
          `${use.shell === step.shell ? '' : ` in ${use.shell.label} (a new shell)`}: "command not found" — ` +
          'pipx only warns, and `pipx ensurepath` changes shell startup files, not the running shell; ' +
          `export PATH="${binDir}:$PATH" first, or use pipx run`,
        related: [{ span: commandSpan(step.line, step.command), label: 'installed here' }],
        fixes: edit
          ? [
              {
                title: `Put ${binDir} on PATH before ${use.shell === step.shell ? 'pipx install' : `running ${program}`}`,
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

/**
 * `export PATH="<bin>:$PATH" && ` before the install when the app runs in the same shell, else before
 * the app's own statement (GitLab after_script, a later GitHub step of a container job). Null where
 * the export could not reach the app: inside `sh -c '…'`, after `||`.
 */
function pathFix(install: Step, use: Step, binDir: string, source: string): Edit | null {
  if (/["`\\\s]/.test(binDir)) return null;
  const at = use.shell === install.shell ? install : use;
  if (inShellString(at.command)) return null;
  if (at.command.before === '||' || at.command.before === '|' || at.command.before === '|&') return null;
  return insertStatementBefore(at.line, at.command, `export PATH="${binDir}:$PATH" && `, source);
}

/** `~/x`, `${HOME}/x/` → `$HOME/x`: one spelling per directory, for comparing PATH entries. */
function normalizeDir(dir: string): string {
  return dir
    .replace(/^~(?=\/|$)/, '$HOME')
    .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, '$$$1')
    .replace(/(.)\/+$/, '$1');
}

/**
 * True when PATH, as the shell has it at this step, holds the pipx bin folder: PIPX_BIN_DIR when it is
 * set, else a `.local/bin` (`$HOME/.local/bin`, `~/.local/bin`, `/root/.local/bin`).
 */
function onPath(step: Step, custom: string | undefined): boolean {
  const path = step.state.env.get('PATH')?.value;
  if (path === undefined) return false;
  const entries = path.split(':').map(normalizeDir);
  if (custom !== undefined) return entries.includes(normalizeDir(custom));
  return entries.some((e) => /(^|\/)\.local\/bin$/.test(e));
}
