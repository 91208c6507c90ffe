/**
 * Whether a command inside `case SUBJECT in … esac` can run, when the subject's value is known (a
 * literal, a job or matrix variable, an earlier assignment): `case "$family" in debian) …;; redhat)
 * pip install …;; esac` on a leg whose family is debian never runs the redhat branch, nor takes its
 * installs as evidence about the image. Anything not known leaves the command in.
 */
import { expandVariables } from '../dialects/variables.ts';
import type { CaseBranch } from '../shell/commands.ts';
import type { Word } from '../shell/tokenize.ts';

type Lookup = (name: string) => string | undefined;

/** False only when, for a known subject, the command's branch cannot be the one that runs. */
export function branchMayRun(branches: readonly CaseBranch[], lookup: Lookup): boolean {
  return branches.every((b) => {
    const subject = b.patterns ? knownValue(b.subject, lookup) : undefined;
    if (subject === undefined || !b.patterns) return true;
    // the first branch whose pattern matches runs; a later one does not, even if it matches too
    if (b.earlier.some((p) => matches(p, subject, lookup) === true)) return false;
    return b.patterns.some((p) => matches(p, subject, lookup) !== false);
  });
}

/** The word's value when nothing in it is left to run time. */
function knownValue(word: Word, lookup: Lookup): string | undefined {
  if (!word.dynamic) return word.value;
  const expanded = expandVariables(word.value, lookup);
  return expanded.unresolved.length > 0 || expanded.value.includes('$') ? undefined : expanded.value;
}

/** Whether a case pattern matches the subject: undefined when the pattern is not known. */
function matches(pattern: Word, subject: string, lookup: Lookup): boolean | undefined {
  const text = knownValue(pattern, lookup);
  if (text === undefined) return undefined;
  const glob = /[*?[]/.test(text);
  // quotes make glob characters literal, but where they were is no longer known
  if (!glob) return text === subject;
  if (pattern.quoted || pattern.dynamic) return undefined;
  return globToRegExp(text).test(subject);
}

/** A shell pattern (`deb*`, `[Dd]ebian`, `?`) as an anchored regular expression. */
function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) out += '\\[';
      else {
        const set = pattern
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        out += `[${set}]`;
        i = close;
      }
    } else if (c === '\\' && i + 1 < pattern.length)
      out += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else out += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 's');
}
