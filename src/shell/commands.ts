/**
 * From tokens to simple commands: splits on `;`, `&&`, `||`, `|`, `&`, newlines and subshell
 * parentheses, drops shell keywords (`if`, `then`, `do`, …), skips `for`/`case` headers and patterns
 * and function headers, and separates `NAME=value` prefixes and redirections from the arguments.
 * Wrappers (`env`, `sudo`, `command`, `exec`, `time`, `timeout`, `nice`, `nohup`, `xargs`, …) are
 * looked through, and `sh -c '…'` / `bash -c "…"` strings are parsed as scripts of their own, with
 * offsets mapped back to the original text.
 */
import { isRedirect, type Operator, type Token, tokenize, type Word } from './tokenize.ts';

export interface Assignment {
  name: string;
  value: string;
  /** The whole `NAME=value` word. */
  word: Word;
  /** True when the value contains an expansion. */
  dynamic: boolean;
}

export interface Redirect {
  op: string;
  target?: Word;
  heredoc?: Operator['heredoc'];
}

export interface SudoInfo {
  /** `-E` / `--preserve-env` with no list: the whole environment is kept. */
  preserveAll: boolean;
  /** `--preserve-env=A,B`. */
  preserve: string[];
}

export interface Command {
  /** Words after wrappers and prefixes: argv[0] is the program that really runs. */
  argv: Word[];
  /** `NAME=value` prefixes, including those given to `env` or `sudo`. */
  assignments: Assignment[];
  /** Assignments written *before* `sudo` (sudo drops them); empty when there is no sudo. */
  droppedBySudo: Assignment[];
  sudo?: SudoInfo;
  /** Wrapper programs looked through, outermost first (`sudo`, `env`, `timeout`, `bash -c`, …). */
  wrappers: string[];
  redirects: Redirect[];
  /** Offsets in the *root* script text: first and last character of the whole simple command. */
  start: number;
  end: number;
  /** Offset where the statement (and-or list item / pipeline) holding this command starts. */
  statementStart: number;
  /** Where a `NAME=value ` prefix for this command may be inserted (after `sudo` and its options). */
  envInsertAt: number;
  /** The operator before and after this command (`&&`, `||`, `|`, `;`, newline), if any. */
  before: string | null;
  after: string | null;
  /** True when the command is part of a pipeline and not its last element, or `|`-fed. */
  inPipeline: boolean;
  /** Map from this command's word offsets to root text offsets (identity unless from `sh -c`). */
  toRoot: (offset: number) => number;
}

export const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash', 'busybox']);
const LEADING_KEYWORDS = new Set(['if', 'then', 'elif', 'else', 'do', 'while', 'until', '!', '{', 'time']);
const CLOSING_KEYWORDS = new Set(['fi', 'done', 'esac', '}']);
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;

export function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? path : path.slice(i + 1);
}

/** Parse a script into its simple commands, in order. */
export function parseCommands(
  text: string,
  toRoot: (offset: number) => number = (o) => o,
  depth = 0,
): Command[] {
  const tokens = tokenize(text);
  const out: Command[] = [];
  let segment: Token[] = [];
  let before: string | null = null;
  let statementStart: number | null = null;
  let caseState: 'none' | 'header' | 'pattern' | 'body' = 'none';

  const flush = (after: string | null) => {
    const seg = segment;
    segment = [];
    const words = seg.filter((t): t is Word => t.kind === 'word');
    if (words.length === 0) return;
    // case … in: the header, then `pattern)` before each branch
    if (caseState === 'header') {
      if (words.some((w) => w.value === 'in' && !w.quoted)) caseState = 'pattern';
      return;
    }
    const first = words[0]!;
    if (!first.quoted && first.value === 'esac') caseState = 'none';
    if (!first.quoted && first.value === 'case') {
      caseState = words.some((w) => w.value === 'in' && !w.quoted) ? 'pattern' : 'header';
      return;
    }
    if (!first.quoted && (first.value === 'for' || first.value === 'select' || first.value === 'function')) {
      // `for x in a b; do …`: the header runs nothing. `function f {`: a header as well.
      const doAt = words.findIndex((w) => w.value === 'do' && !w.quoted);
      if (doAt === -1) return;
      seg.splice(0, seg.indexOf(words[doAt]!) + 1);
    }
    const cmd = buildCommand(seg, toRoot, before, after, statementStart ?? toRoot(first.start), depth);
    if (cmd) out.push(...cmd);
  };

  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === 'word' || isRedirect(t)) {
      if (t.kind === 'word' && segment.length === 0 && statementStart === null)
        statementStart = toRoot(t.start);
      segment.push(t);
      // a redirection's target is part of the same command
      if (isRedirect(t) && tokens[k + 1]?.kind === 'word') segment.push(tokens[++k]!);
      continue;
    }
    const op = t.op;
    if (caseState === 'pattern' && (op === '|' || op === '(')) continue; // `a|b)` / `(a)` patterns
    if (op === ')' && caseState === 'pattern') {
      segment = [];
      caseState = 'body';
      statementStart = null;
      continue;
    }
    if (
      op === '(' &&
      segment.length === 1 &&
      tokens[k + 1]?.kind === 'op' &&
      (tokens[k + 1] as Operator).op === ')'
    ) {
      segment = []; // `name() {` — a function header
      k++;
      continue;
    }
    flush(op);
    if (op === ';;' || op === ';&' || op === ';;&') caseState = 'pattern';
    before = op === '(' || op === ')' ? before : op;
    if (op !== '|' && op !== '|&' && op !== '&&' && op !== '||') statementStart = null;
    if (op === '&&' || op === '||') statementStart = null;
  }
  flush(null);
  return out;
}

function buildCommand(
  seg: Token[],
  toRoot: (o: number) => number,
  before: string | null,
  after: string | null,
  statementStart: number,
  depth: number,
): Command[] | null {
  const words: Word[] = [];
  const redirects: Redirect[] = [];
  for (let k = 0; k < seg.length; k++) {
    const t = seg[k]!;
    if (t.kind === 'op') {
      const target = seg[k + 1]?.kind === 'word' ? (seg[++k] as Word) : undefined;
      const r: Redirect = { op: t.op };
      if (target) r.target = target;
      if (t.heredoc) r.heredoc = t.heredoc;
      redirects.push(r);
    } else words.push(t);
  }
  // keywords that only introduce or close a compound command
  const count = words.length;
  while (words.length > 0 && !words[0]!.quoted && LEADING_KEYWORDS.has(words[0]!.value)) words.shift();
  while (words.length > 0 && !words[0]!.quoted && CLOSING_KEYWORDS.has(words[0]!.value)) words.shift();
  if (words.length === 0) return null;

  const start = toRoot(words[0]!.start);
  // after `then`/`do`/`{` the statement starts at the command itself
  if (words.length !== count) statementStart = start;
  const lastWord = words[words.length - 1]!;
  const end = toRoot(Math.max(lastWord.end - 1, lastWord.start)) + 1;
  const base: Command = {
    argv: [],
    assignments: [],
    droppedBySudo: [],
    wrappers: [],
    redirects,
    start,
    end,
    statementStart,
    envInsertAt: start,
    before,
    after,
    inPipeline: before === '|' || before === '|&' || after === '|' || after === '|&',
    toRoot,
  };
  const rest = takeAssignments(words, base.assignments);
  return unwrap(rest, base, toRoot, depth);
}

function takeAssignments(words: Word[], into: Assignment[]): Word[] {
  let k = 0;
  while (k < words.length) {
    const w = words[k]!;
    const m = ASSIGNMENT.exec(w.value);
    // a quoted name (`"A"=1`) is not an assignment
    if (!m || w.valueMap[m[1]!.length]! - w.start !== m[1]!.length) break;
    into.push({ name: m[1]!, value: w.value.slice(m[0].length), word: w, dynamic: w.dynamic });
    k++;
  }
  return words.slice(k);
}

/** Look through wrapper programs. Returns the command(s) that really run. */
function unwrap(words: Word[], cmd: Command, toRoot: (o: number) => number, depth: number): Command[] {
  let rest = words;
  for (let guard = 0; guard < 16 && rest.length > 0; guard++) {
    const name = basename(rest[0]!.value);
    if (rest[0]!.dynamic) break;
    if (name === 'env') {
      cmd.wrappers.push('env');
      rest = skipOptions(rest.slice(1), new Set(['-u', '--unset', '-C', '--chdir', '-S', '--split-string']));
      rest = takeAssignments(rest, cmd.assignments);
      continue;
    }
    if (name === 'sudo' || name === 'doas') {
      cmd.wrappers.push(name);
      const sudo: SudoInfo = { preserveAll: false, preserve: [] };
      rest = rest.slice(1);
      while (rest.length > 0 && rest[0]!.value.startsWith('-')) {
        const opt = rest[0]!.value;
        rest = rest.slice(1);
        if (opt === '--') break;
        if (opt === '-E' || opt === '--preserve-env') sudo.preserveAll = true;
        else if (opt.startsWith('--preserve-env=')) sudo.preserve.push(...opt.slice(15).split(','));
        else if (/^-[A-Za-z]*E[A-Za-z]*$/.test(opt) && !opt.startsWith('--')) sudo.preserveAll = true;
        else if (['-u', '-g', '-h', '-p', '-C', '-D', '-R', '-T', '-U', '-r', '-t'].includes(opt))
          rest = rest.slice(1);
      }
      // sudo's env_reset drops what the caller set, unless told to keep it
      cmd.droppedBySudo.push(
        ...cmd.assignments.filter((a) => !sudo.preserveAll && !sudo.preserve.includes(a.name)),
      );
      cmd.sudo = sudo;
      cmd.envInsertAt = rest[0] ? toRoot(rest[0].start) : cmd.end;
      rest = takeAssignments(rest, cmd.assignments);
      continue;
    }
    if (name === 'command' || name === 'exec' || name === 'nohup' || name === 'builtin') {
      if (name === 'command' && (rest[1]?.value === '-v' || rest[1]?.value === '-V')) break; // a lookup, not a run
      cmd.wrappers.push(name);
      rest = skipOptions(rest.slice(1), new Set(['-a']));
      continue;
    }
    if (name === 'time' || name === 'stdbuf' || name === 'unbuffer' || name === 'catchsegv') {
      cmd.wrappers.push(name);
      rest = skipOptions(rest.slice(1), new Set(['-o', '-f', '-i', '-e']));
      continue;
    }
    if (name === 'nice' || name === 'ionice' || name === 'chrt' || name === 'taskset') {
      cmd.wrappers.push(name);
      rest = skipOptions(rest.slice(1), new Set(['-n', '-c', '-p']));
      if (name !== 'nice' && rest.length > 1 && /^[\d,x-]+$/.test(rest[0]!.value)) rest = rest.slice(1);
      continue;
    }
    if (name === 'timeout') {
      cmd.wrappers.push(name);
      rest = skipOptions(rest.slice(1), new Set(['-s', '--signal', '-k', '--kill-after']));
      rest = rest.slice(1); // the duration
      continue;
    }
    if (name === 'xargs') {
      cmd.wrappers.push(name);
      rest = skipOptions(
        rest.slice(1),
        new Set(['-n', '-L', '-I', '-P', '-d', '-E', '-s', '-a', '--max-args', '--max-procs', '--delimiter']),
      );
      continue;
    }
    if (SHELLS.has(name)) {
      const script = shellCommandString(rest);
      if (script && depth < 4) {
        const inner = script.word;
        const innerToRoot = (o: number) => toRoot(inner.valueMap[Math.min(o, inner.valueMap.length - 1)]!);
        const commands = parseCommands(inner.value, innerToRoot, depth + 1);
        for (const c of commands) {
          c.assignments.unshift(...cmd.assignments);
          c.wrappers.unshift(...cmd.wrappers, name);
          if (cmd.sudo && !c.sudo) {
            c.sudo = cmd.sudo;
            c.droppedBySudo.unshift(...cmd.droppedBySudo);
          }
          if (c.before === null) c.before = cmd.before;
          c.inPipeline ||= cmd.inPipeline;
        }
        return commands;
      }
    }
    break;
  }
  cmd.argv = rest;
  if (rest.length > 0 && !cmd.sudo) cmd.envInsertAt = cmd.start;
  return rest.length > 0 || cmd.assignments.length > 0 ? [cmd] : [];
}

/** `bash -c 'script'`, `sh -ec "script"`, `bash -lc …`: the script word, if any. */
function shellCommandString(words: Word[]): { word: Word } | null {
  for (let k = 1; k < words.length; k++) {
    const v = words[k]!.value;
    if (!v.startsWith('-') && !v.startsWith('+')) return null;
    if (/^-[A-Za-z]*c[A-Za-z]*$/.test(v)) {
      const script = words[k + 1];
      return script ? { word: script } : null;
    }
    if (v === '-o' || v === '+o') k++;
  }
  return null;
}

function skipOptions(words: Word[], withValue: Set<string>): Word[] {
  let k = 0;
  while (k < words.length) {
    const v = words[k]!.value;
    if (v === '--') return words.slice(k + 1);
    if (!v.startsWith('-') || v === '-') break;
    k += withValue.has(v) ? 2 : 1;
  }
  return words.slice(k);
}
