/**
 * Names from the linted files (job and step names, template names) as messages show them: a name
 * may hold a line break (`"a\nb":` is a valid key), which must not split a `path:line:col: …` line.
 */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\u0085\u2028\u2029]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A name in double quotes, on one line. */
export function quoteName(name: string): string {
  return `"${oneLine(name)}"`;
}

/** Text longer than `max` cut in the middle to its first `head` and last `tail` characters: they tell similar texts apart. */
export function cutInMiddle(text: string, max: number, head: number, tail: number): string {
  return text.length <= max ? text : `${text.slice(0, head)}…${text.slice(-tail)}`;
}
