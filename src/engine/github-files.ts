/**
 * Writes to `$GITHUB_ENV` and `$GITHUB_PATH`, the two ways a GitHub step hands state to the steps
 * after it: `echo "X=1" >> "$GITHUB_ENV"`, `printf …`, `cat >> $GITHUB_ENV <<EOF … EOF` (including
 * the `NAME<<DELIM` multi-line form) and `echo "$PWD/.venv/bin" >> $GITHUB_PATH`.
 * (docs.github.com, "Workflow commands for GitHub Actions": environment files.)
 */
import type { Action } from '../shell/classify.ts';
import type { Command } from '../shell/commands.ts';

export interface GithubFileWrite {
  file: 'env' | 'path';
  /** Lines written, with variables still as written (`$PWD`, `$PATH`). */
  lines: string[];
}

const TARGET = /^\$\{?GITHUB_(ENV|PATH)\}?$/;

export function githubFileWrite(command: Command, action: Action): GithubFileWrite | null {
  const redirect = command.redirects.find(
    (r) => (r.op === '>>' || r.op === '>') && r.target && TARGET.test(r.target.value),
  );
  if (!redirect?.target) return null;
  const file = TARGET.exec(redirect.target.value)![1] === 'ENV' ? 'env' : 'path';
  if (action.kind !== 'other') return null;
  const args = command.argv.slice(1).map((w) => w.value);
  let text: string | undefined;
  if (action.name === 'echo') text = args.filter((a, i) => !(i === 0 && /^-[neE]+$/.test(a))).join(' ');
  else if (action.name === 'printf' && args[0] !== undefined) {
    let k = 1;
    text = args[0].replace(/%[sb]/g, () => args[k++] ?? '').replace(/\\n/g, '\n');
  } else if (action.name === 'cat') text = command.redirects.find((r) => r.heredoc)?.heredoc?.body;
  if (text === undefined) return null;
  return { file, lines: text.split('\n').filter((l) => l.trim() !== '') };
}

/** `NAME=value` lines and `NAME<<DELIM … DELIM` blocks of a `$GITHUB_ENV` write. */
export function parseEnvLines(lines: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const multi = /^([A-Za-z_][A-Za-z0-9_]*)<<(\S+)$/.exec(line);
    if (multi) {
      const end = lines.indexOf(multi[2]!, i + 1);
      out.push([multi[1]!, lines.slice(i + 1, end === -1 ? undefined : end).join('\n')]);
      i = end === -1 ? lines.length : end;
      continue;
    }
    const eq = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (eq) out.push([eq[1]!, eq[2]!]);
  }
  return out;
}
