/**
 * Turning "insert this shell text before character i of a script line" into a file edit that keeps
 * the YAML scalar's style: escaped for double quotes, doubled quotes for single, refused where a
 * plain scalar would change meaning (`: `, ` #`, flow indicators) or where the offset map is not exact.
 */
import type { Edit } from '../model/finding.ts';
import type { ScriptLine } from '../model/job.ts';
import { type Command, inShellString } from '../shell/commands.ts';

const PLAIN_START_INDICATORS = new Set([...'-?:,[]{}#&*!|>\'"%@`']);

/** File offset just before value character `index` (or the end of the value). */
export function offsetBefore(line: ScriptLine, index: number): number {
  return line.offsets[Math.min(index, line.offsets.length - 1)] ?? line.span.end;
}

/** File offset just after value character `index`. */
export function offsetAfter(line: ScriptLine, index: number, fileText?: string): number {
  const at = line.offsets[index];
  if (at === undefined) return line.span.end;
  // a literal character is one source character; an escape (`\t`) ends where the next value char starts
  if (fileText === undefined || fileText[at] === line.text[index]) return at + 1;
  return line.offsets[index + 1] ?? at + 1;
}

/** Encodes `text` for insertion at `offset` inside the scalar of `line`, or null when that is unsafe. */
export function encodeInsertion(
  line: ScriptLine,
  offset: number,
  text: string,
  fileText: string,
): string | null {
  if (!line.exact || text.includes('\n') || text.includes('\r')) return null;
  switch (line.style) {
    case 'double':
      return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
    case 'single':
      return text.replace(/'/g, "''");
    case 'literal':
    case 'folded':
      return text;
    case 'plain': {
      if (/[,[\]{}]/.test(text)) return null; // a plain scalar may sit in a flow collection
      const before = fileText[offset - 1] ?? '';
      const after = fileText[offset] ?? '';
      const joined = before + text + after;
      if (/:(\s|$)/.test(joined) || /\s#/.test(joined) || text.includes('\t')) return null;
      if (offset === line.span.start && PLAIN_START_INDICATORS.has(text[0] ?? '')) return null;
      return text;
    }
  }
}

/** An insertion edit at value index `index` of `line`, or null when it cannot be written safely. */
export function insertBefore(line: ScriptLine, index: number, text: string, fileText: string): Edit | null {
  const offset = offsetBefore(line, index);
  const encoded = encodeInsertion(line, offset, text, fileText);
  return encoded === null ? null : { path: line.path, start: offset, end: offset, text: encoded };
}

/**
 * A statement (`python3 -m venv .venv && `) inserted to run just before `command`'s own, or null where
 * that cannot be written: inside another program's argument list (`docker exec C pip …`), or, when it
 * holds quotes, `$`, `\` or backticks, inside the string a shell is given (`sh -c "…"`), whose quoting
 * it would break.
 */
export function insertStatementBefore(
  line: ScriptLine,
  command: Command,
  text: string,
  fileText: string,
): Edit | null {
  if (command.inArgv) return null;
  if (/["'$\\`]/.test(text) && inShellString(command)) return null;
  return insertBefore(line, command.statementStart, text, fileText);
}

export function insertAfter(line: ScriptLine, index: number, text: string, fileText: string): Edit | null {
  const offset = offsetAfter(line, index, fileText);
  const encoded = encodeInsertion(line, offset, text, fileText);
  return encoded === null ? null : { path: line.path, start: offset, end: offset, text: encoded };
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';
const isLineEnd = (c: string | undefined) => c === undefined || c === '\n' || c === '\r';

/**
 * An edit deleting a word of a command together with the blanks before it (`pip install --user x`
 * → `pip install x`), or after it when it starts its source line (the line's indentation stays).
 * Null when the word is not written literally in one piece, or stands alone on its source line:
 * emptying that line would end a `\` continuation there, or change how a folded or plain scalar
 * joins its lines (`pip install x \⏎  --flag⏎rm -r b` in a `>` block would become one command).
 */
export function deleteWord(line: ScriptLine, start: number, end: number, fileText: string): Edit | null {
  if (!line.exact) return null;
  const from = offsetBefore(line, start);
  const to = offsetAfter(line, end - 1, fileText);
  if (fileText.slice(from, to).includes('\n')) return null;
  let before = from;
  while (before > line.span.start && isBlank(fileText[before - 1])) before--;
  if (before > line.span.start && !isLineEnd(fileText[before - 1]))
    return { path: line.path, start: before, end: to, text: '' };
  let after = to;
  while (after < line.span.end && isBlank(fileText[after])) after++;
  if (after < line.span.end && !isLineEnd(fileText[after]))
    return { path: line.path, start: from, end: after, text: '' };
  return null;
}
