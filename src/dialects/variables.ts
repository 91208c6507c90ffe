/** `$VAR` / `${VAR}` expansion in names such as images, as the CI system does before the job runs. */

export interface Expanded {
  value: string;
  /** Names that had no value and were left as written. */
  unresolved: string[];
}

export function expandVariables(
  text: string,
  lookup: (name: string) => string | undefined,
  depth = 0,
): Expanded {
  const unresolved: string[] = [];
  const value = text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, braced, bare) => {
      const name = (braced ?? bare) as string;
      const v = lookup(name);
      if (v === undefined) {
        unresolved.push(name);
        return whole;
      }
      if (depth < 5 && v.includes('$')) {
        const inner = expandVariables(v, lookup, depth + 1);
        unresolved.push(...inner.unresolved);
        return inner.value;
      }
      return v;
    },
  );
  return { value, unresolved };
}

/** Nothing of the expansion is left to run time: no unset name, no `$(…)` or other `$` left. */
export const fullyKnown = (e: Expanded): boolean => e.unresolved.length === 0 && !e.value.includes('$');

/** The text with its variables expanded, when that is fully known; undefined otherwise. */
export function knownExpansion(
  text: string,
  lookup: (name: string) => string | undefined,
): string | undefined {
  const expanded = expandVariables(text, lookup);
  return fullyKnown(expanded) ? expanded.value : undefined;
}
