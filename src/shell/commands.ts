/**
 * From tokens to simple commands: splits on `;`, `&&`, `||`, `|`, `&`, newlines and subshell
 * parentheses, drops shell keywords (`if`, `then`, `do`, …), skips `for`/`case` headers and patterns
 * and function headers, and separates `NAME=value` prefixes and redirections from the arguments.
 * Wrappers (`env`, `sudo`, `command`, `exec`, `time`, `timeout`, `nice`, `nohup`, `xargs`, …) are
 * looked through, and scripts inside scripts (`sh -c '…'`, `bash <<EOF`, `eval "…"`, `su -c '…'`,
 * `env -S '…'`, `$( … )`, backticks, `<( … )`) are parsed as scripts of their own, with offsets mapped
 * back to the original text.
 */
import { type Branch, Branches } from './branches.ts';
import {
  isRedirect,
  type Operator,
  skipBalancedFrom,
  skipExpansion,
  type Token,
  textIndex,
  tokenize,
  type Word,
} from './tokenize.ts';

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
  /** The file descriptor it redirects, when written (`2>`); `>` alone is standard output's. */
  fd?: number;
}

/** Whether the redirection sends standard output somewhere (`>`, `>>`, `1>`, `>&2`, `&>`), not only another stream. */
function redirectsOutput(r: Redirect): boolean {
  if (r.op === '&>' || r.op === '&>>') return true;
  return (r.fd === undefined || r.fd === 1) && ['>', '>>', '>|', '>&'].includes(r.op);
}

/** Whether the redirection writes standard output to the file it names (`>`, `>>`, `>|`; not `2>`). */
export function writesOutputTo(r: Redirect): r is Redirect & { target: Word } {
  return ['>', '>>', '>|'].includes(r.op) && redirectsOutput(r) && r.target !== undefined;
}

/** The redirection an operator token and the word after it make. */
function redirectOf(t: Operator, target: Word | undefined): Redirect {
  const r: Redirect = { op: t.op };
  if (target) r.target = target;
  if (t.heredoc) r.heredoc = t.heredoc;
  if (t.fd !== undefined) r.fd = t.fd;
  return r;
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
  /**
   * `NAME=value` prefixes, including those given to `env` or `sudo`; those that `env -i` / `env -u`
   * clear before the program starts are left out.
   */
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
  /**
   * Offset where the statement (and-or list item / pipeline, with its `!` and redirections) holding this
   * command starts, after any `then`/`do`/`{`: a new statement inserted there runs just before it.
   */
  statementStart: number;
  /**
   * Where a `NAME=value ` prefix for this command may be inserted so that the program sees it: the
   * command's start, or after `sudo` and its options, after `env -i`/`env -u X`, after the `time` keyword.
   */
  envInsertAt: number;
  /**
   * The operator before and after this command (`&&`, `||`, `|`, `;`, newline), if any; subshell
   * parentheses are looked through (`after` is `)` only when a redirection follows the subshell).
   */
  before: string | null;
  after: string | null;
  /** True when the command is part of a pipeline and not its last element, or `|`-fed. */
  inPipeline: boolean;
  /** Map from this command's word offsets to root text offsets (identity unless from `sh -c`). */
  toRoot: (offset: number) => number;
  /**
   * The command runs inside a command substitution (`$( … )`, backticks, `<( … )`): its changes to the
   * shell do not last. `assignment` when the substitution is all of a `x=$(…)` statement, so its exit
   * status is the statement's; `argument` when another command runs with its output (the failure is lost).
   */
  substitution?: 'assignment' | 'argument';
  /**
   * The subshells the command runs in, outermost first (ids unique within one parse): `( … )`, `$( … )`,
   * and child shells such as `sh -c '…'`. What a command changes in its shell ends with the innermost.
   */
  subshells: number[];
  /**
   * The command may not run: it is inside `if`/`while`/`for`/`case`, a `{ … }` group or function body,
   * or after `&&`/`||`. (An unconditional `exit` ends the shell there.)
   */
  conditional: boolean;
  /**
   * The command is another program's argument list, not shell text: `docker exec C pip …` runs pip
   * with no shell. Nothing that needs one (`&&`, a `NAME=value` prefix, `export`) can be written there.
   */
  inArgv?: true;
  /**
   * `find START … -name NAME -exec CMD {} ;`: the paths `{}` stands for in CMD, as `START/**\/NAME`
   * (`*` for NAME when find has no `-name`).
   */
  found?: string;
  /** The innermost `case`/`if` branch the command is in (engine/known-branches.ts decides if it runs). */
  branch?: Branch;
  /** `! cmd`: the statement's status is the opposite of the command's (a test in an `if`). */
  negated?: true;
}

/**
 * The paths a `find` command finds, as one pattern: its first start folder (`.` when none is given)
 * and its `-name`/`-iname`, `START/**\/NAME`. What `{}` stands for in the command it runs.
 */
export function foundPaths(findArgs: readonly Word[]): string {
  const first = findArgs[1];
  const start = first && !/^[-(!]/.test(first.value) ? first.value.replace(/\/+$/, '') : '.';
  const at = findArgs.findIndex((w) => w.value === '-name' || w.value === '-iname');
  return `${start}/**/${(at !== -1 && findArgs[at + 1]?.value) || '*'}`;
}

/** What a whole script tells the parse of each of its commands. */
export interface ParseOptions {
  /** Map from offsets in `text` to offsets in the root text (for a slice of a larger script). */
  toRoot?: (offset: number) => number;
  /** Functions of the script that run their arguments as a command (`retry() { … "$@"; }`). */
  wrapperFunctions?: ReadonlySet<string>;
}

export const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash', 'busybox']);
/** The command runs inside the script a shell was handed (`sh -c '…'`, `bash <<EOF`), not the outer one. */
export const inShellString = (command: Command) => command.wrappers.some((w) => SHELLS.has(w));
/** Reserved words that open, continue or close a compound command; they are not part of a statement. */
const COMPOUND_KEYWORDS = new Set([
  'if',
  'then',
  'elif',
  'else',
  'do',
  'while',
  'until',
  '{',
  'fi',
  'done',
  'esac',
  '}',
]);
/** `!` negates the pipeline that follows: part of the statement, not of the command. */
const PIPELINE_PREFIX = new Set(['!']);
const OPENS = new Set(['if', 'while', 'until', '{']);
const CLOSES = new Set(['fi', 'done', 'esac', '}']);
/** After these operators a newline does not end the statement (`a &&⏎ b`, `a |⏎ b`). */
const CONTINUING_OPS = new Set(['&&', '||', '|', '|&']);
const DO = new Set(['do']);
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?=/;

export function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? path : path.slice(i + 1);
}

const isKeyword = (t: Token | undefined, set: Set<string>): t is Word =>
  t?.kind === 'word' && !t.quoted && set.has(t.value);

interface Mapping {
  /** Offset of a character in this text → offset of that character in the root text. */
  toRoot: (offset: number) => number;
  /** Like toRoot, but for a position where something starts: it includes the escape (`\\$`) that
   * produced the character in an enclosing `sh -c "…"` string, so an insertion there stays outside it. */
  startToRoot: (offset: number) => number;
}

/** Scripts inside scripts (`sh -c "$(…)"`): deep enough for real CI, bounded against pathological input. */
const MAX_NESTING = 4;

interface Context {
  depth: number;
  wrapperFunctions: ReadonlySet<string>;
  /** Subshells around the script being parsed (see Command.subshells). */
  enclosing: number[];
  /** Where the next subshell id comes from (shared by all nested parses of one script). */
  ids: { next: number };
  /** The `case`/`if` branch a nested script runs in. */
  branch?: Branch | undefined;
}

/** Parse a script into its simple commands, in the order they run. */
export function parseCommands(text: string, options: ParseOptions = {}): Command[] {
  const toRoot = options.toRoot ?? ((o: number) => o);
  return parseScript(
    text,
    { toRoot, startToRoot: toRoot },
    { depth: 0, wrapperFunctions: options.wrapperFunctions ?? new Set(), enclosing: [], ids: { next: 0 } },
  );
}

/** `parseCommands` for a script nested in another: `map` leads its offsets back to the root text. */
function parseScript(text: string, map: Mapping, ctx: Context): Command[] {
  const { startToRoot } = map;
  const tokens = tokenize(text);
  const out: Command[] = [];
  let segment: Token[] = [];
  let before: string | null = null;
  let statementStart: number | null = null;
  let caseState: 'none' | 'header' | 'pattern' | 'body' = 'none';
  // the `case` and `if` branches open at this point of the script
  const branches = new Branches(ctx.branch);
  let lastOp: string | null = null;
  // `( … )` subshells open at this point of the script
  const open: number[] = [];
  // compound commands (`if`, loops, `case`, `{ … }`) open at this point: their commands may not run
  let compound = 0;
  // where each open compound command's commands start in `out`, for a redirection after its end
  const opened: number[] = [];
  const openCompound = () => {
    compound++;
    opened.push(out.length);
  };

  const flush = (after: string | null) => {
    let seg = segment;
    segment = [];
    if (!seg.some((t) => t.kind === 'word')) return;
    // case … in: the header, then `pattern)` before each branch
    if (caseState === 'header') {
      if (seg.some((t) => t.kind === 'word' && t.value === 'in' && !t.quoted)) caseState = 'pattern';
      return;
    }
    // compound-command keywords (`then`, `do`, `{`, `fi`, …) open or close; the statement starts after them
    let k = 0;
    let closed: number | undefined;
    while (isKeyword(seg[k], COMPOUND_KEYWORDS)) {
      const keyword = (seg[k] as Word).value;
      if (keyword === 'esac') caseState = branches.closeCase() ? 'body' : 'none';
      branches.keyword(keyword);
      if (OPENS.has(keyword)) openCompound();
      else if (CLOSES.has(keyword)) {
        compound = Math.max(0, compound - 1);
        closed = opened.pop();
      }
      k++;
    }
    seg = seg.slice(k);
    // `{ …; } >> "$GITHUB_ENV"`, `done > file`: the output of every command inside goes there
    if (closed !== undefined && isRedirect(seg[0])) {
      redirectOutput(out.slice(closed), seg);
      return;
    }
    const first = seg[0];
    if (first?.kind === 'word' && !first.quoted) {
      if (first.value === 'case') {
        openCompound();
        branches.openCase(seg[1]?.kind === 'word' ? seg[1] : undefined);
        caseState = seg.some((t) => t.kind === 'word' && t.value === 'in' && !t.quoted)
          ? 'pattern'
          : 'header';
        return;
      }
      if (first.value === 'for' || first.value === 'select') {
        openCompound();
        // `for x in a b; do …`: the header runs nothing
        const doAt = seg.findIndex((t) => isKeyword(t, DO));
        if (doAt === -1) return;
        seg = seg.slice(doAt + 1);
      } else if (first.value === 'function') {
        // `function f {` / `function f { cmd; }`: the header defines, the body is commands
        seg = seg.slice(2);
      }
      while (isKeyword(seg[0], COMPOUND_KEYWORDS)) {
        if (OPENS.has((seg[0] as Word).value)) openCompound(); // `function f {`
        seg = seg.slice(1);
      }
    }
    if (!seg.some((t) => t.kind === 'word')) return;
    // the first command of a statement fixes where the statement (and-or item / pipeline) starts
    statementStart ??= startToRoot(seg[0]!.start);
    const here: Context = { ...ctx, enclosing: [...ctx.enclosing, ...open], branch: branches.current() };
    const cmd = buildCommand(text, seg, map, before, after, statementStart, here);
    if (cmd) {
      // what `$( … )` runs comes first: its output is part of the command's words
      const all = [...substitutions(text, seg, map, here, statementStart, isBareAssignment(cmd)), ...cmd];
      const guarded = compound > 0 || [before, after].some((op) => op === '&&' || op === '||');
      for (const c of all) {
        c.conditional ||= guarded;
        branches.place(c);
      }
      out.push(...all);
    }
  };

  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === 'word' || isRedirect(t)) {
      segment.push(t);
      // a redirection's target is part of the same command
      if (isRedirect(t) && tokens[k + 1]?.kind === 'word') segment.push(tokens[++k]!);
      continue;
    }
    const op = t.op;
    // `a &&⏎ b`, `a |⏎ b`: the statement goes on over the newline
    if (op === '\n' && segment.length === 0 && lastOp !== null && CONTINUING_OPS.has(lastOp)) continue;
    lastOp = op;
    if (caseState === 'pattern' && (op === '|' || op === '(')) continue; // `a|b)` / `(a)` patterns
    if (op === ')' && caseState === 'pattern') {
      branches.patterns(segment.filter((w): w is Word => w.kind === 'word'));
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
    // only a command just closed needs to know what follows its subshell (keeps a run of `)` linear)
    flush(op === ')' && segment.length > 0 ? afterSubshell(tokens, k) : op);
    if (op === '(') open.push(ctx.ids.next++);
    else if (op === ')') open.pop();
    if (op === ';;' || op === ';&' || op === ';;&') caseState = 'pattern';
    if (op === ';&' || op === ';;&') branches.fallThrough();
    before = op === '(' || op === ')' ? before : op;
    // only a pipe keeps the statement going; `&&`/`||` start a new and-or item
    if (op !== '|' && op !== '|&') statementStart = null;
  }
  flush(null);
  return out;
}

/** Output redirections written after a compound command, given to the commands inside without one of their own. */
function redirectOutput(inside: Command[], seg: Token[]) {
  for (let k = 0; k < seg.length; k++) {
    const t = seg[k]!;
    if (t.kind !== 'op' || seg[k + 1]?.kind !== 'word') continue;
    const redirect = redirectOf(t, seg[++k] as Word);
    if (!writesOutputTo(redirect)) continue;
    for (const c of inside) if (!c.redirects.some(redirectsOutput)) c.redirects.push(redirect);
  }
}

/**
 * What follows the subshell closed by the `)` at `k`: the next control operator (so `(a) | b` puts `a`
 * in a pipeline and `(a) || b` guards it), `null` at the end, else `)` itself.
 */
function afterSubshell(tokens: Token[], k: number): string | null {
  let j = k + 1;
  while (tokens[j]?.kind === 'op' && (tokens[j] as Operator).op === ')') j++;
  const next = tokens[j];
  if (next === undefined) return null;
  if (next.kind === 'op' && !isRedirect(next) && next.op !== '(') return next.op;
  return ')';
}

function buildCommand(
  text: string,
  seg: Token[],
  map: Mapping,
  before: string | null,
  after: string | null,
  statementStart: number,
  ctx: Context,
): Command[] | null {
  const words: Word[] = [];
  const redirects: Redirect[] = [];
  for (let k = 0; k < seg.length; k++) {
    const t = seg[k]!;
    if (t.kind === 'op') {
      const target = seg[k + 1]?.kind === 'word' ? (seg[++k] as Word) : undefined;
      redirects.push(redirectOf(t, target));
    } else words.push(t);
  }
  let bangs = 0;
  while (isKeyword(words[0], PIPELINE_PREFIX)) {
    words.shift();
    bangs++;
  }
  if (words.length === 0) return null;
  // `(( … ))` arithmetic runs no command
  if (!words[0]!.quoted && words[0]!.value.startsWith('((')) return null;

  const { toRoot } = map;
  const start = map.startToRoot(words[0]!.start);
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
    subshells: ctx.enclosing,
    conditional: false,
  };
  if (bangs % 2 === 1) base.negated = true;
  const rest = takeAssignments(words, base.assignments);
  return unwrap(text, rest, base, map, ctx);
}

function takeAssignments(words: Word[], into: Assignment[]): Word[] {
  let k = 0;
  while (k < words.length) {
    const w = words[k]!;
    const m = ASSIGNMENT.exec(w.value);
    // a quoted name (`"A"=1`) is not an assignment; a line continuation inside the name is fine
    // `NAME=` needs the `=` unquoted too; `NAME[sub]=` needs only the name and `[`
    if (!m || w.literalPrefix < m[1]!.length + 1) break;
    into.push({ name: m[1]!, value: w.value.slice(m[0].length), word: w, dynamic: w.dynamic });
    k++;
  }
  return words.slice(k);
}

/** sudo options that take a value (`-u user`, `--user=user`, `-uuser`). */
const SUDO_SHORT_WITH_VALUE = new Set(['u', 'g', 'h', 'p', 'C', 'D', 'R', 'T', 'U', 'r', 't', 'c']);
const SUDO_LONG_WITH_VALUE = new Set([
  '--user',
  '--group',
  '--host',
  '--prompt',
  '--close-from',
  '--chdir',
  '--chroot',
  '--command-timeout',
  '--other-user',
  '--role',
  '--type',
  '--login-class',
]);

/**
 * The command run with `words` as its words, wrappers looked through: for a program word whose
 * variable's value is known only when the job runs (`$SUDO pip …` with `SUDO: sudo`). A shell string
 * in those words (`bash -c`) is not followed.
 */
export function lookThroughWrappers(command: Command, words: Word[]): Command {
  const cmd: Command = {
    ...command,
    argv: [],
    assignments: [...command.assignments],
    droppedBySudo: [...command.droppedBySudo],
    wrappers: [...command.wrappers],
  };
  const map = { toRoot: command.toRoot, startToRoot: command.toRoot };
  const ctx = {
    depth: MAX_NESTING,
    wrapperFunctions: new Set<string>(),
    enclosing: command.subshells,
    ids: { next: 0 },
  };
  return unwrap('', words, cmd, map, ctx)[0] ?? command;
}

/** Look through wrapper programs. Returns the command(s) that really run. */
function unwrap(text: string, words: Word[], cmd: Command, map: Mapping, ctx: Context): Command[] {
  const toRoot = map.startToRoot;
  let rest = words;
  // where a `NAME=value ` prefix still reaches the program (after sudo, `env -i`, the `time` keyword)
  let insertAt: number | null = null;
  // the state before the last wrapper, to undo it when that wrapper turns out to have nothing to run
  let undo: { rest: Word[]; cmd: Command; insertAt: number | null } | null = null;
  const snapshot = () => {
    undo = {
      rest,
      insertAt,
      cmd: {
        ...cmd,
        assignments: [...cmd.assignments],
        droppedBySudo: [...cmd.droppedBySudo],
        wrappers: [...cmd.wrappers],
      },
    };
  };
  for (let guard = 0; guard < 16 && rest.length > 0; guard++) {
    const name = basename(rest[0]!.value);
    if (rest[0]!.dynamic && !rest[0]!.fromVariable) break;
    if (name === 'env') {
      snapshot();
      cmd.wrappers.push('env');
      let k = 1;
      let clear = false;
      let splitString = -1;
      const unset: string[] = [];
      for (; k < rest.length; k++) {
        const v = rest[k]!.value;
        if (v === '--') {
          k++;
          break;
        }
        if (v === '-' || v === '-i' || v === '--ignore-environment') clear = true;
        else if (!v.startsWith('-')) break;
        else if (v === '-S' || v === '--split-string' || v.startsWith('--split-string=')) {
          // `env -S 'pip install x'`: the string is split into the program and its arguments
          splitString = k;
          break;
        } else if (v === '-u' || v === '--unset') unset.push(rest[++k]?.value ?? '');
        else if (v.startsWith('--unset=')) unset.push(v.slice(8));
        else if (['-C', '--chdir'].includes(v)) k++;
      }
      if (splitString !== -1) {
        const opt = rest[splitString]!;
        const words = opt.value.startsWith('--split-string=')
          ? [splitOff(opt, '--split-string='.length), ...rest.slice(splitString + 1)]
          : rest.slice(splitString + 1);
        // `env` is already among the wrappers; what it runs is a child process of its own
        if (words.length > 0) return nestedCommands(text, joinWords(words), cmd, null, map, ctx);
      }
      rest = rest.slice(k);
      if (clear || unset.length > 0) {
        // `env -i` starts from an empty environment and `env -u X` removes X: what was set before env
        // (on the command or kept by sudo) does not reach the program, and a new prefix must go after env
        const gone = (a: Assignment) => clear || unset.includes(a.name);
        cmd.assignments = cmd.assignments.filter((a) => !gone(a));
        cmd.droppedBySudo = cmd.droppedBySudo.filter((a) => !gone(a));
        insertAt = rest[0] ? toRoot(rest[0].start) : cmd.end;
      }
      rest = takeAssignments(rest, cmd.assignments);
      continue;
    }
    if (name === 'sudo' || name === 'doas') {
      snapshot();
      cmd.wrappers.push(name);
      const sudo: SudoInfo = { preserveAll: false, preserve: [] };
      rest = rest.slice(1);
      while (rest.length > 0 && rest[0]!.value.startsWith('-')) {
        const opt = rest[0]!.value;
        rest = rest.slice(1);
        if (opt === '--') break;
        if (opt.startsWith('--')) {
          const eq = opt.indexOf('=');
          const long = eq === -1 ? opt : opt.slice(0, eq);
          if (long === '--preserve-env') {
            if (eq === -1) sudo.preserveAll = true;
            else sudo.preserve.push(...opt.slice(eq + 1).split(','));
          } else if (eq === -1 && SUDO_LONG_WITH_VALUE.has(long)) rest = rest.slice(1);
          continue;
        }
        // combined short options: `-Eu user`, `-uuser`, `-HE`
        for (let j = 1; j < opt.length; j++) {
          const letter = opt[j]!;
          if (letter === 'E') sudo.preserveAll = true;
          if (SUDO_SHORT_WITH_VALUE.has(letter)) {
            if (j === opt.length - 1) rest = rest.slice(1);
            break;
          }
        }
      }
      // sudo's env_reset drops what the caller set, unless told to keep it
      cmd.droppedBySudo.push(
        ...cmd.assignments.filter((a) => !sudo.preserveAll && !sudo.preserve.includes(a.name)),
      );
      cmd.sudo = sudo;
      insertAt = rest[0] ? toRoot(rest[0].start) : cmd.end;
      rest = takeAssignments(rest, cmd.assignments);
      continue;
    }
    if (name === 'command' || name === 'exec' || name === 'nohup' || name === 'builtin') {
      if (name === 'command' && (rest[1]?.value === '-v' || rest[1]?.value === '-V')) break; // a lookup, not a run
      snapshot();
      cmd.wrappers.push(name);
      rest = skipOptions(rest.slice(1), new Set(['-a']));
      continue;
    }
    if (name === 'time' || name === 'stdbuf' || name === 'unbuffer' || name === 'catchsegv') {
      // `time` first in a statement is bash's keyword; `A=1 time` would run /usr/bin/time instead
      const keyword = name === 'time' && !rest[0]!.quoted && rest === words && cmd.assignments.length === 0;
      snapshot();
      cmd.wrappers.push(name);
      rest = skipOptions(rest.slice(1), new Set(['-o', '-f', '-i', '-e']));
      if (keyword) {
        // the keyword times a whole pipeline, whose first command may have prefixes of its own
        insertAt = rest[0] ? toRoot(rest[0].start) : cmd.end;
        rest = takeAssignments(rest, cmd.assignments);
      }
      continue;
    }
    if (name === 'nice' || name === 'ionice' || name === 'chrt' || name === 'taskset') {
      snapshot();
      cmd.wrappers.push(name);
      rest = skipOptions(rest.slice(1), new Set(['-n', '-c', '-p']));
      if (name !== 'nice' && rest.length > 1 && /^[\d,x-]+$/.test(rest[0]!.value)) rest = rest.slice(1);
      continue;
    }
    if (name === 'timeout') {
      snapshot();
      cmd.wrappers.push(name);
      rest = skipOptions(rest.slice(1), new Set(['-s', '--signal', '-k', '--kill-after']));
      rest = rest.slice(1); // the duration
      continue;
    }
    if (name === 'xargs') {
      snapshot();
      cmd.wrappers.push(name);
      rest = skipOptions(
        rest.slice(1),
        new Set([
          '-n',
          '-L',
          '-I',
          '-P',
          '-d',
          '-E',
          '-s',
          '-a',
          '--max-args',
          '--max-procs',
          '--delimiter',
          '--arg-file',
        ]),
      );
      continue;
    }
    if (SHELLS.has(name)) {
      const script = shellScript(rest, cmd.redirects);
      if (script) return nestedCommands(text, script, cmd, name, map, ctx);
    }
    if (name === 'eval' && rest.length > 1) {
      // eval joins its arguments with spaces and runs the result as a script
      return nestedCommands(text, joinWords(rest.slice(1)), cmd, name, map, ctx);
    }
    if (name === 'su') {
      const su = suCommand(rest);
      if (su) {
        // `su -` / `su -l` start a login shell with a fresh environment: prefixes do not reach it
        if (su.login) cmd.assignments = [];
        return nestedCommands(text, su.script, cmd, name, map, ctx);
      }
    }
    if (name === 'find') {
      // `find … -exec CMD {} ;` runs CMD for the files found
      const at = rest.findIndex((w) => ['-exec', '-execdir', '-ok', '-okdir'].includes(w.value));
      const stop = rest.findIndex((w, k) => k > at && (w.value === ';' || w.value === '+'));
      if (at !== -1 && at + 1 < rest.length) {
        snapshot();
        cmd.wrappers.push(name);
        cmd.found = foundPaths(rest);
        rest = rest.slice(at + 1, stop === -1 ? rest.length : stop);
        continue;
      }
    }
    if (RETRY_PROGRAMS.has(name) || ctx.wrapperFunctions.has(rest[0]!.value)) {
      // `retry -t 3 -- pip install x`, `retry 3 pip install x`: counts and options, then the command
      snapshot();
      cmd.wrappers.push(name);
      rest = rest.slice(1);
      while (rest.length > 1 && /^(-.*|\d+)$/.test(rest[0]!.value)) {
        const done = rest[0]!.value === '--';
        rest = rest.slice(1);
        if (done) break;
      }
      continue;
    }
    break;
  }
  if (rest.length === 0 && undo !== null) {
    // a wrapper with nothing to run (`env`, `sudo -v`, `… | xargs`) is itself the program
    const u: { rest: Word[]; cmd: Command; insertAt: number | null } = undo;
    Object.assign(cmd, u.cmd);
    if (!cmd.wrappers.includes('sudo') && !cmd.wrappers.includes('doas')) delete cmd.sudo;
    rest = u.rest;
    insertAt = u.insertAt;
  }
  cmd.argv = rest;
  cmd.envInsertAt = insertAt ?? cmd.start;
  return rest.length > 0 || cmd.assignments.length > 0 ? [cmd] : [];
}

/**
 * The script a shell is given: the word after `-c` (`bash -c '…'`, `sh -ec "…"`, `bash -eo pipefail -c …`),
 * or a here-document on its standard input when it is given no script file (`bash <<EOF`, `sh -s <<EOF`).
 */
function shellScript(words: Word[], redirects: Redirect[]): Word | null {
  let k = 1;
  for (; k < words.length; k++) {
    const v = words[k]!.value;
    if (v === '--' || v === '-') {
      k++;
      break;
    }
    if (!v.startsWith('-') && !v.startsWith('+')) break;
    if (/^-[A-Za-z]*c[A-Za-z]*$/.test(v)) return words[k + 1] ?? null;
    // options that take a value: `-o pipefail`, `-eo pipefail`, `-O extglob`, `--rcfile f`
    if (/^[-+][A-Za-z]*[oO]$/.test(v) || v === '--rcfile' || v === '--init-file') k++;
  }
  const readsStdin = k >= words.length || words.slice(1, k).some((w) => /^-[A-Za-z]*s/.test(w.value));
  const doc = redirects.find((r) => r.heredoc)?.heredoc;
  return readsStdin && doc ? textWord(doc.body, doc.start) : null;
}

/** A word standing for `value`, written verbatim at `start` in the text. */
function textWord(value: string, start: number): Word {
  return {
    kind: 'word',
    start,
    end: start + value.length,
    value,
    quoted: true,
    dynamic: false,
    literalPrefix: 0,
  };
}

/** The words joined by single spaces (as `eval` and `env -S` do), offsets kept; a space maps to its word's end. */
function joinWords(words: Word[]): Word {
  if (words.length === 1) return words[0]!;
  // a loop, not push(...): a word may be longer than a call takes arguments
  const valueMap: number[] = [];
  words.forEach((w, k) => {
    const last = k === words.length - 1;
    const n = last ? w.value.length + 1 : w.value.length;
    for (let i = 0; i < n; i++) valueMap.push(textIndex(w, i));
    if (!last) valueMap.push(w.end);
  });
  return {
    kind: 'word',
    start: words[0]!.start,
    end: words[words.length - 1]!.end,
    value: words.map((w) => w.value).join(' '),
    valueMap,
    quoted: words.some((w) => w.quoted),
    dynamic: words.some((w) => w.dynamic),
    literalPrefix: 0,
  };
}

/** The part of a word after its first `skip` characters (`--split-string=…` → `…`). */
function splitOff(word: Word, skip: number): Word {
  const { valueMap, ...rest } = word;
  return {
    ...rest,
    start: textIndex(word, skip),
    value: word.value.slice(skip),
    ...(valueMap ? { valueMap: valueMap.slice(skip) } : {}),
  };
}

/** `su [-] [-l] [user] -c 'script'`: the script and whether it runs in a login shell. */
function suCommand(words: Word[]): { script: Word; login: boolean } | null {
  let login = false;
  for (let k = 1; k < words.length; k++) {
    const v = words[k]!.value;
    if (v === '-' || v === '-l' || v === '--login') login = true;
    else if (v === '-c' || v === '--command') return words[k + 1] ? { script: words[k + 1]!, login } : null;
    else if (v.startsWith('--command=')) return { script: splitOff(words[k]!, '--command='.length), login };
    else if (['-s', '--shell', '-g', '--group', '-G', '--supp-group', '-w'].includes(v)) k++;
  }
  return null;
}

/** Programs that run their arguments as a command, again until it succeeds. */
const RETRY_PROGRAMS = new Set(['retry', 'travis_retry']);

/**
 * Parse the script held by `word` (a `sh -c` string, an `eval`'d text, a here-document) as commands of
 * their own that inherit what `cmd` had: prefixes, wrappers, sudo, and the operators around it.
 */
function nestedCommands(
  text: string,
  word: Word,
  cmd: Command,
  wrapper: string | null,
  map: Mapping,
  ctx: Context,
): Command[] {
  if (ctx.depth >= MAX_NESTING) return [];
  const at = (o: number) => textIndex(word, Math.min(o, word.value.length));
  // a character written as an escape (`\\$` in `sh -c "\\$HOME/bin/pip …"`) starts at its backslash
  const startToRoot = (o: number) => {
    const t = at(o);
    const escaped = text[t - 1] === '\\' && (o === 0 || at(o - 1) < t - 1);
    return map.startToRoot(escaped ? t - 1 : t);
  };
  // `eval` runs in this shell; `sh -c`, `su -c`, `env -S` start a child process of their own
  const enclosing = wrapper === 'eval' ? ctx.enclosing : [...ctx.enclosing, ctx.ids.next++];
  const inner = parseScript(
    word.value,
    { toRoot: (o) => map.toRoot(at(o)), startToRoot },
    { ...ctx, depth: ctx.depth + 1, enclosing },
  );
  for (const c of inner) {
    c.assignments.unshift(...cmd.assignments);
    c.wrappers.unshift(...cmd.wrappers, ...(wrapper ? [wrapper] : []));
    if (cmd.sudo && !c.sudo) {
      c.sudo = cmd.sudo;
      c.droppedBySudo.unshift(...cmd.droppedBySudo);
    }
    c.inPipeline ||= cmd.inPipeline;
  }
  // the operators around `sh -c '…'` connect its first and last commands to their neighbours
  if (inner[0] && inner[0].before === null) inner[0].before = cmd.before;
  const last = inner[inner.length - 1];
  if (last && last.after === null) last.after = cmd.after;
  return inner;
}

const isBareAssignment = (commands: Command[]) => commands.length === 1 && commands[0]!.argv.length === 0;

/**
 * The commands of the command substitutions (`$( … )`, backticks, `<( … )`) in a command's words, in
 * order. They run before the command, in a subshell, as part of the statement that starts at `statementStart`.
 */
function substitutions(
  text: string,
  seg: Token[],
  map: Mapping,
  ctx: Context,
  statementStart: number,
  ownStatus: boolean,
): Command[] {
  if (ctx.depth >= MAX_NESTING) return [];
  const out: Command[] = [];
  for (const t of seg) {
    if (t.kind !== 'word' || !t.dynamic) continue;
    for (const [from, to] of substitutionBodies(text, t.start, t.end)) {
      const inner = parseScript(
        text.slice(from, to),
        { toRoot: (o) => map.toRoot(o + from), startToRoot: (o) => map.startToRoot(o + from) },
        { ...ctx, depth: ctx.depth + 1, enclosing: [...ctx.enclosing, ctx.ids.next++] },
      );
      for (const c of inner) {
        c.substitution = ownStatus ? 'assignment' : 'argument';
        c.statementStart = statementStart;
      }
      out.push(...inner);
    }
  }
  return out;
}

/** [start, end) of the body of each command substitution in text[from, to), outside single quotes. */
function substitutionBodies(text: string, from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  let double = false;
  for (let i = from; i < to; ) {
    const c = text[i]!;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === "'" && !double) {
      const close = text.indexOf("'", i + 1);
      i = close === -1 || close >= to ? to : close + 1;
      continue;
    }
    if (c === '"') double = !double;
    const processSub = (c === '<' || c === '>') && text[i + 1] === '(' && !double;
    if (c === '`' || c === '$' || processSub) {
      const end = processSub ? skipBalancedFrom(text, i + 1) : skipExpansion(text, i);
      const body = c === '`' ? i + 1 : text[i + 1] === '(' && text[i + 2] !== '(' ? i + 2 : -1;
      if (body !== -1 && end > body)
        out.push([body, text[end - 1] === (c === '`' ? '`' : ')') ? end - 1 : end]);
      i = Math.max(end, i + 1);
      continue;
    }
    i++;
  }
  return out;
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
