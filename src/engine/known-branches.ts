/**
 * Whether a command inside `case … esac` or `if … fi` can run, when the values that choose the branch
 * are known (a literal, a job or matrix variable, an earlier assignment): `case "$family" in debian)
 * …;; redhat) pip install …;; esac` on a leg whose family is debian never runs the redhat branch, nor
 * does `if [ "$RUNNER_OS" = Linux ]; then … fi` run on macOS; neither branch's installs are evidence
 * about the image there. Anything not known leaves the command in.
 */
import { knownExpansion } from '../dialects/variables.ts';
import type { CaseBranch, IfBranch } from '../shell/branches.ts';
import type { Command } from '../shell/commands.ts';
import type { Word } from '../shell/tokenize.ts';

type Lookup = (name: string) => string | undefined;

/** How far out a command's branches are looked at, and how many branches before one: beyond, it may run. */
const MAX_DEPTH = 32;
const MAX_EARLIER = 64;

/** False only when the values known show that a branch around the command is not the one that runs. */
export function mayRun(command: Command, lookup: Lookup): boolean {
  let depth = 0;
  for (let b = command.branch; b && depth < MAX_DEPTH; b = b.parent, depth++) {
    if (b.earlierCount > MAX_EARLIER) continue;
    if (b.kind === 'case' ? !caseBranchMayRun(b, lookup) : !ifBranchMayRun(b, lookup)) return false;
  }
  return true;
}

/** An `if` branch runs when its condition holds and none before it did (`else`: none did). */
function ifBranchMayRun(branch: IfBranch, lookup: Lookup): boolean {
  for (let k = 0; k < branch.earlierCount; k++)
    if (conditionHolds(branch.earlier[k]!, lookup) === true) return false;
  return branch.condition === null || conditionHolds(branch.condition, lookup) !== false;
}

/**
 * A condition made of such tests joined by `&&` and `||` (left to right, as the shell groups them):
 * true or false when the tests that decide it are known (`false && ?` is false, `true || ?` true).
 */
function conditionHolds(condition: readonly Command[], lookup: Lookup): boolean | undefined {
  if (condition.length === 0) return undefined;
  let result = testHolds(condition[0]!, lookup);
  for (let i = 1; i < condition.length; i++) {
    const op = condition[i - 1]!.after;
    if (op !== '&&' && op !== '||') return undefined;
    const next = testHolds(condition[i]!, lookup);
    result = op === '||' ? either(result, next) : both(result, next);
  }
  return result;
}

type Maybe = boolean | undefined;
/** `a || b` when either side may be unknown: true as soon as one is true. */
const either = (a: Maybe, b: Maybe): Maybe =>
  a === true || b === true ? true : a === false && b === false ? false : undefined;
/** `a && b` when either side may be unknown: false as soon as one is false. */
const both = (a: Maybe, b: Maybe): Maybe =>
  a === false || b === false ? false : a === true && b === true ? true : undefined;

/**
 * One test of two strings (`[ A = B ]`, `[ A != B ]`, `test A == B`, `[[ A == PATTERN ]]`, each
 * perhaps after `!`): true or false when both sides are known.
 */
function testHolds(test: Command, lookup: Lookup): boolean | undefined {
  let words = test.argv;
  let negated = false;
  const program = words[0]?.value;
  if (program === '[' && words[words.length - 1]?.value === ']') words = words.slice(1, -1);
  else if (program === '[[' && words[words.length - 1]?.value === ']]') words = words.slice(1, -1);
  else if (program === 'test') words = words.slice(1);
  else return undefined;
  if (words[0]?.value === '!' && !words[0].quoted) {
    negated = true;
    words = words.slice(1);
  }
  if (words.length !== 3) return undefined;
  const [left, op, right] = words as [Word, Word, Word];
  if (op.quoted || !['=', '==', '!='].includes(op.value)) return undefined;
  const value = knownValue(left, lookup);
  if (value === undefined) return undefined;
  // `[[ A == B ]]` matches B as a pattern; `[` and test compare strings
  const equal = program === '[[' ? matches(right, value, lookup) : literalEquals(right, value, lookup);
  if (equal === undefined) return undefined;
  const holds = op.value === '!=' ? !equal : equal;
  // `[ ! A = B ]` and `! [ A = B ]` each turn it round
  return negated !== (test.negated === true) ? !holds : holds;
}

function literalEquals(word: Word, value: string, lookup: Lookup): boolean | undefined {
  const text = knownValue(word, lookup);
  return text === undefined ? undefined : text === value;
}

/** A `case` branch runs when a pattern of its matches a known subject and none before it did. */
function caseBranchMayRun(b: CaseBranch, lookup: Lookup): boolean {
  const subject = b.patterns ? knownValue(b.subject, lookup) : undefined;
  if (subject === undefined || !b.patterns) return true;
  // the first branch whose pattern matches runs; a later one does not, even if it matches too
  for (let k = 0; k < b.earlierCount; k++) if (matches(b.earlier[k]!, subject, lookup) === true) return false;
  return b.patterns.some((p) => matches(p, subject, lookup) !== false);
}

/** The word's value when nothing in it is left to run time. */
function knownValue(word: Word, lookup: Lookup): string | undefined {
  return word.dynamic ? knownExpansion(word.value, lookup) : word.value;
}

/** Whether a case pattern matches the subject: undefined when the pattern is not known. */
function matches(pattern: Word, subject: string, lookup: Lookup): boolean | undefined {
  const text = knownValue(pattern, lookup);
  if (text === undefined) return undefined;
  const glob = /[*?[]/.test(text);
  if (!glob) return text === subject;
  // a quoted glob character stands for itself, which the pattern below cannot say; what an
  // expansion brings is not known to be a pattern either
  if (pattern.quotedGlob || pattern.dynamic) return undefined;
  return globToRegExp(text).test(subject);
}

/** A shell pattern (`deb*`, `[Dd]ebian`, `[[:digit:]]*`, `?`) as an anchored regular expression. */
function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const set = bracketExpression(pattern, i);
      if (set) {
        out += set.regex;
        i = set.end;
      } else out += '\\[';
    } else if (c === '\\' && i + 1 < pattern.length)
      out += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else out += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 's');
}

/** POSIX character classes inside a bracket expression (`[[:digit:]]`). */
const CLASSES: Record<string, string> = {
  alnum: 'A-Za-z0-9',
  alpha: 'A-Za-z',
  digit: '0-9',
  lower: 'a-z',
  upper: 'A-Z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
};

/** The bracket expression at `start` (`[a-z]`, `[!.]`, `[[:digit:]_]`) as a regex class, and where it ends. */
function bracketExpression(pattern: string, start: number): { regex: string; end: number } | undefined {
  let i = start + 1;
  let negated = false;
  if (pattern[i] === '!' || pattern[i] === '^') {
    negated = true;
    i++;
  }
  let body = '';
  for (let first = true; i < pattern.length; i++, first = false) {
    const c = pattern[i]!;
    if (c === ']' && !first) return { regex: `[${negated ? '^' : ''}${body}]`, end: i };
    if (c === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2);
      const name = close === -1 ? undefined : CLASSES[pattern.slice(i + 2, close)];
      if (name === undefined) return undefined;
      body += name;
      i = close + 1;
    } else body += c === '\\' || c === ']' || c === '[' || c === '^' ? `\\${c}` : c;
  }
  return undefined;
}
