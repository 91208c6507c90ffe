/**
 * Shell functions that run their arguments as a command — `retry() { for i in 1 2 3; do "$@" && return;
 * done; }` — so that `retry pip install x` is read as the pip call it makes.
 */
import { isRedirect, type Token, tokenize, type Word } from './tokenize.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_:.-]*$/;
/** `$@`, `${@}`, `$*`, `${*}`: all the arguments (quote removal has already turned `"$@"` into `$@`). */
const ALL_ARGUMENTS = /^\$(\{[@*]\}|[@*])$/;

/** Words after which the next word is a command again (`then "$@"`, `if ! "$@"`, `command "$@"`). */
const STARTS_A_COMMAND = new Set([
  'do',
  'then',
  'else',
  '{',
  '!',
  'if',
  'while',
  'until',
  'command',
  'exec',
  'time',
]);

const isWord = (t: Token | undefined, value?: string): t is Word =>
  t?.kind === 'word' && (value === undefined || (t.value === value && !t.quoted));
const isOp = (t: Token | undefined, op: string) => t?.kind === 'op' && t.op === op;

/** Names of the functions defined in `text` whose body runs `"$@"` (or `$*`) as a command. */
export function functionsRunningArguments(text: string): Set<string> {
  return new Set(
    functionDefinitions(text)
      .filter((f) => f.runsArguments)
      .map((f) => f.name),
  );
}

/** Names of all the functions defined in `text` (`name() { … }`, `function name { … }`). */
export function definedFunctions(text: string): Set<string> {
  return new Set(functionDefinitions(text).map((f) => f.name));
}

/** Whether `text` may define a function: most scripts do not, and need no second tokenizing. */
export function mayDefineFunction(text: string): boolean {
  return /\(\s*\)|\bfunction\b/.test(text);
}

function functionDefinitions(text: string): { name: string; runsArguments: boolean }[] {
  if (!mayDefineFunction(text)) return [];
  const tokens = tokenize(text);
  const found: { name: string; runsArguments: boolean }[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    let name: string | undefined;
    let body = -1;
    if (isWord(t, 'function') && isWord(tokens[k + 1]) && NAME.test((tokens[k + 1] as Word).value)) {
      name = (tokens[k + 1] as Word).value;
      body = isOp(tokens[k + 2], '(') && isOp(tokens[k + 3], ')') ? k + 4 : k + 2;
    } else if (
      isWord(t) &&
      !t.quoted &&
      NAME.test(t.value) &&
      isOp(tokens[k + 1], '(') &&
      isOp(tokens[k + 2], ')')
    ) {
      name = t.value;
      body = k + 3;
    }
    if (name === undefined) continue;
    while (isOp(tokens[body], '\n')) body++;
    if (!isWord(tokens[body], '{')) continue;
    found.push({ name, runsArguments: runsArguments(tokens, body) });
  }
  return found;
}

/** Whether the `{ … }` body opening at `open` has a command that starts with all the arguments. */
function runsArguments(tokens: Token[], open: number): boolean {
  let depth = 0;
  let commandStart = true;
  for (let k = open; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === 'op') {
      // after `;`, `&&`, `|`, a newline … a new command starts; after `>` comes a file name
      commandStart = !isRedirect(t);
      continue;
    }
    if (!t.quoted && t.value === '{') depth++;
    else if (!t.quoted && t.value === '}' && --depth === 0) return false;
    else if (commandStart && ALL_ARGUMENTS.test(t.value)) return true;
    commandStart = !t.quoted && STARTS_A_COMMAND.has(t.value);
  }
  return false;
}
