/**
 * The explicit override: `PIP_BREAK_SYSTEM_PACKAGES=1` (or uv's `UV_BREAK_SYSTEM_PACKAGES=1`) as a
 * prefix of the one command that needs it — the narrowest scope there is. The variable reaches
 * pip when another tool (flit, pipenv, pip-sync) runs it, is ignored by pips too old to know it,
 * and is placed after `sudo`, which would drop it otherwise (shared/knowledge/pip-behaviour.md U03–U06).
 */
import type { InstallCheck } from '../engine/pip-target.ts';
import type { Step } from '../engine/simulate.ts';
import type { Fix } from '../model/finding.ts';
import { insertBefore, offsetAfter, offsetBefore } from './insert.ts';

export function overrideFix(step: Step, check: InstallCheck, source: string): Fix | null {
  const name = check.overrideVariable;
  const { command, line } = step;
  const title = `Set ${name}=1 for this command (it may then change the system Python's packages)`;
  // the command already sets the variable (to a false value): change that value
  const own = command.assignments.find((a) => a.name === name && !command.droppedBySudo.includes(a));
  if (own) {
    const w = own.word;
    const valueStart = w.valueMap[name.length + 1];
    if (valueStart === undefined || own.dynamic) return null;
    const start = offsetBefore(line, command.toRoot(valueStart));
    const end = offsetAfter(line, command.toRoot(w.end - 1), source);
    return {
      title,
      strategy: 'override',
      applicability: 'safe',
      edits: [{ path: line.path, start, end, text: '1' }],
    };
  }
  const edit = insertBefore(line, command.envInsertAt, `${name}=1 `, source);
  if (!edit) return null;
  return { title, strategy: 'override', applicability: 'safe', edits: [edit] };
}
