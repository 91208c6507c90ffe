/**
 * Which branch of `case … esac` and `if … fi` each command of a script is in, as the parser meets
 * them: for a `case`, the subject and the patterns of the branch (and of the branches before it); for
 * an `if`, the condition's commands (and those of the branches before it). engine/known-branches.ts
 * decides from these whether a command can run when the values involved are known.
 */
import type { Command } from './commands.ts';
import type { Word } from './tokenize.ts';

/** A command's place in `case SUBJECT in … esac`. */
export interface CaseBranch {
  subject: Word;
  /** The branch's patterns (`a|b)`); null when an earlier branch may fall through into it (`;&`). */
  patterns: Word[] | null;
  /** The patterns of the branches before it: the first branch that matches is the one that runs. */
  earlier: Word[];
}

/** A command's place in `if COND; then …; elif COND; then …; else …; fi`. */
export interface IfBranch {
  /** The commands of the branch's condition; null for `else`. */
  condition: Command[] | null;
  /** The conditions of the branches before it, each of which was false for this one to run. */
  earlier: Command[][];
}

interface OpenCase {
  subject: Word;
  branch: Word[] | null;
  earlier: Word[];
  fallthrough: boolean;
}

interface OpenIf {
  /** Reading the condition after `if`/`elif`, or a branch's commands after `then`/`else`. */
  phase: 'condition' | 'body';
  condition: Command[];
  branch: Command[] | null;
  earlier: Command[][];
}

export class Branches {
  private readonly cases: OpenCase[] = [];
  private readonly ifs: OpenIf[] = [];

  /** `case SUBJECT in` (a subject that is not a word leaves the case unread). */
  openCase(subject: Word | undefined): void {
    if (subject) this.cases.push({ subject, branch: [], earlier: [], fallthrough: false });
  }

  /** The patterns before `)` that start a branch. */
  patterns(words: Word[]): void {
    const open = this.cases[this.cases.length - 1];
    if (!open) return;
    if (open.branch) open.earlier.push(...open.branch);
    open.branch = open.fallthrough ? null : words;
  }

  /** `;&` / `;;&`: the next branch may run without its pattern matching. */
  fallThrough(): void {
    const open = this.cases[this.cases.length - 1];
    if (open) open.fallthrough = true;
  }

  /** `esac`: true while an outer case is still open. */
  closeCase(): boolean {
    this.cases.pop();
    return this.cases.length > 0;
  }

  /** `if`, `then`, `elif`, `else`, `fi`. */
  keyword(word: string): void {
    const open = this.ifs[this.ifs.length - 1];
    if (word === 'if') this.ifs.push({ phase: 'condition', condition: [], branch: null, earlier: [] });
    else if (!open) return;
    else if (word === 'then') {
      open.phase = 'body';
      open.branch = open.condition;
      open.condition = [];
    } else if (word === 'elif' || word === 'else') {
      if (open.branch) open.earlier.push(open.branch);
      open.branch = null;
      open.phase = word === 'elif' ? 'condition' : 'body';
    } else if (word === 'fi') this.ifs.pop();
  }

  /** Records where `command` is: part of an `if`'s condition, or in the branches open around it. */
  place(command: Command, inCaseBody: boolean): void {
    const innermost = this.ifs[this.ifs.length - 1];
    if (innermost?.phase === 'condition') innermost.condition.push(command);
    if (inCaseBody && this.cases.length > 0) {
      const cases = this.cases.map((c) => ({
        subject: c.subject,
        patterns: c.branch,
        earlier: [...c.earlier],
      }));
      command.cases = [...cases, ...(command.cases ?? [])];
    }
    const ifs = this.ifs
      .filter((i) => i.phase === 'body')
      .map((i) => ({ condition: i.branch, earlier: [...i.earlier] }));
    if (ifs.length > 0) command.ifs = [...ifs, ...(command.ifs ?? [])];
  }
}
