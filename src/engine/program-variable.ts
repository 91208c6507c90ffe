/**
 * A program named by a variable: `$PIP install x` with `PIP: pip3 --timeout 100` in the job's
 * variables, `$PYTHON -m pip …`, `$SUDO pip …` with `SUDO=""`. The shell expands the unquoted word
 * and splits it on blanks before it looks for the program, so the command is classified as it runs.
 */
import { knownExpansion } from '../dialects/variables.ts';
import { type Command, lookThroughWrappers } from '../shell/commands.ts';
import type { Word } from '../shell/tokenize.ts';

/**
 * The command with its program word expanded, when that word is an unquoted expansion, or one
 * variable in double quotes, whose value is known (no `$(…)` or unset name left; `${X:-default}`
 * gives the default when X is not set); else the command itself. The words it expands to keep the
 * place of the word as written, and are marked dynamic: a fix may insert before or after them, never
 * rewrite them (they are not in the file).
 */
export function withProgramExpanded(command: Command, lookup: (name: string) => string | undefined): Command {
  const program = command.argv[0];
  if (!program?.dynamic || (program.quoted && !ONE_EXPANSION.test(program.value))) return command;
  const value = knownExpansion(withDefaults(program.value, lookup), lookup);
  if (value === undefined) return command;
  // `"$PY" -m pip`: in quotes the value is not split, it is the program's name as it stands
  if (program.quoted && (value === '' || /[ \t\n]/.test(value))) return command;
  const words = program.quoted ? [value] : value.split(/[ \t\n]+/).filter(Boolean);
  // `$SUDO pip …` with SUDO empty: the next word is the program
  if (words.length === 0 && command.argv.length === 1) return command;
  const { valueMap: _written, ...at } = program;
  const fromValue = words.map((value): Word => ({ ...at, value, literalPrefix: 0, fromVariable: true }));
  // `$SUDO pip …` with SUDO=sudo: the shell runs sudo, which runs pip
  return lookThroughWrappers(command, [...fromValue, ...command.argv.slice(1)]);
}

/** A word that is one variable and nothing else (`"$PY"`, `"${PY}"`, `"${PY:-python3}"`). */
const ONE_EXPANSION = /^\$([A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*(:?-[^}$]*)?\})$/;

/** `${NAME:-word}` / `${NAME-word}`: the shell's default when NAME is unset (with `:`, or empty). */
function withDefaults(text: string, lookup: (name: string) => string | undefined): string {
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(:?)-([^}$]*)\}/g,
    (_whole, name: string, colon: string, word: string) => {
      const value = lookup(name);
      return value === undefined || (colon === ':' && value === '') ? word : value;
    },
  );
}
