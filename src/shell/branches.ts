/**
 * Which branch of `case … esac` and `if … fi` each command of a script is in, as the parser meets
 * them: for a `case`, the subject and the patterns of the branch (and of the branches before it); for
 * an `if`, the condition's commands (and those of the branches before it). engine/known-branches.ts
 * decides from these whether a command can run when the values involved are known.
 *
 * A command holds only its innermost branch; each branch holds the one around it. Branches before
 * it are a prefix of a list the whole `case`/`if` shares. So a script of 10 000 nested `if`s, or of
 * 10 000 `elif`s, costs the parser the same per command as a flat one.
 */
import type { Command } from './commands.ts';
import type { Word } from './tokenize.ts';

export type Branch = CaseBranch | IfBranch;

/** A command's place in `case SUBJECT in … esac`. */
export interface CaseBranch {
  kind: 'case';
  subject: Word;
  /** The branch's patterns (`a|b)`); null when an earlier branch may fall through into it (`;&`). */
  patterns: Word[] | null;
  /** The first `earlierCount` of these are the patterns of the branches before it (the first match runs). */
  earlier: readonly Word[];
  earlierCount: number;
  /** The branch around this `case`, if any. */
  parent: Branch | undefined;
}

/** A command's place in `if COND; then …; elif COND; then …; else …; fi`. */
export interface IfBranch {
  kind: 'if';
  /** The commands of the branch's condition; null for `else`. */
  condition: Command[] | null;
  /** The first `earlierCount` of these are the conditions before it, each false for this branch to run. */
  earlier: readonly Command[][];
  earlierCount: number;
  parent: Branch | undefined;
}

interface OpenCase {
  kind: 'case';
  subject: Word;
  earlier: Word[];
  fallthrough: boolean;
  /** The branch being read, once its patterns are. */
  branch: CaseBranch | undefined;
}

interface OpenIf {
  kind: 'if';
  /** Reading the condition after `if`/`elif`, or a branch's commands after `then`/`else`. */
  phase: 'condition' | 'body';
  condition: Command[];
  earlier: Command[][];
  branch: IfBranch | undefined;
}

export class Branches {
  private readonly open: (OpenCase | OpenIf)[] = [];

  /** `around`: the branch a nested script (`sh -c '…'`, `$( … )`) runs in, for its own branches to hang from. */
  constructor(private readonly around: Branch | undefined) {}

  /** The innermost branch commands met now are in. */
  current(): Branch | undefined {
    return this.enclosing(this.open.length);
  }

  /** The innermost branch among the first `depth` open constructs (an `if` reading its condition has none). */
  private enclosing(depth: number): Branch | undefined {
    for (let k = depth - 1; k >= 0; k--) {
      const o = this.open[k]!;
      if (o.kind === 'case' ? o.branch : o.phase === 'body') return o.branch;
    }
    return this.around;
  }

  /** `case SUBJECT in` (a subject that is not a word leaves the case unread). */
  openCase(subject: Word | undefined): void {
    if (subject)
      this.open.push({ kind: 'case', subject, earlier: [], fallthrough: false, branch: undefined });
  }

  /** The patterns before `)` that start a branch. */
  patterns(words: Word[]): void {
    const o = this.open[this.open.length - 1];
    if (o?.kind !== 'case') return;
    if (o.branch?.patterns) o.earlier.push(...o.branch.patterns);
    o.branch = {
      kind: 'case',
      subject: o.subject,
      patterns: o.fallthrough ? null : words,
      earlier: o.earlier,
      earlierCount: o.earlier.length,
      parent: this.enclosing(this.open.length - 1),
    };
  }

  /** `;&` / `;;&`: the next branch may run without its pattern matching. */
  fallThrough(): void {
    const o = this.open[this.open.length - 1];
    if (o?.kind === 'case') o.fallthrough = true;
  }

  /** `esac`: true while an outer case is still open. */
  closeCase(): boolean {
    if (this.open[this.open.length - 1]?.kind === 'case') this.open.pop();
    return this.open.some((o) => o.kind === 'case');
  }

  /** `if`, `then`, `elif`, `else`, `fi`. */
  keyword(word: string): void {
    const o = this.open[this.open.length - 1];
    if (word === 'if') {
      this.open.push({ kind: 'if', phase: 'condition', condition: [], earlier: [], branch: undefined });
      return;
    }
    if (o?.kind !== 'if') return;
    if (word === 'then' || word === 'else') {
      if (word === 'else' && o.branch?.condition) o.earlier.push(o.branch.condition);
      o.phase = 'body';
      o.branch = {
        kind: 'if',
        condition: word === 'then' ? o.condition : null,
        earlier: o.earlier,
        earlierCount: o.earlier.length,
        parent: this.enclosing(this.open.length - 1),
      };
      o.condition = [];
    } else if (word === 'elif') {
      if (o.branch?.condition) o.earlier.push(o.branch.condition);
      o.phase = 'condition';
    } else if (word === 'fi') this.open.pop();
  }

  /** Records where `command` is: in the branch around it, and part of an `if`'s condition if it is one. */
  place(command: Command): void {
    const o = this.open[this.open.length - 1];
    if (o?.kind === 'if' && o.phase === 'condition') o.condition.push(command);
    // a command parsed from a nested script already hangs from the branch it ran in
    command.branch ??= this.current();
  }
}
