import { defineRule } from '../../src/engine/rule.ts';
import { commandSpan, type Step } from '../../src/engine/simulate.ts';
import { inShellString } from '../../src/shell/commands.ts';
import { textIndex, type Word } from '../../src/shell/tokenize.ts';

const MARKER = /(^|\/)EXTERNALLY-MANAGED$/;

export default defineRule({
  id: 'externally-managed-marker-removed',
  severity: 'warning',
  summary:
    "rm/mv of the EXTERNALLY-MANAGED marker: works, but silently gives up the distribution's protection",
  fixable: 'none',
  since: '0.1.0',
  check(ctx) {
    for (const step of ctx.analysis.steps) {
      if (step.action.kind !== 'marker-removed') continue;
      const program = step.command.argv[0]!.value.replace(/^.*\//, '');
      const removed = removedMarker(step, program);
      if (!removed) continue;
      ctx.report({
        span: commandSpan(step.line, step.command),
        severity: 'warning',
        message:
          `job ${ctx.job.label} runs ${program} on ${removed.path}: without the marker pip stops checking, so every ` +
          "later pip install or uninstall in this job may change the distribution's own Python packages without a word" +
          (removed.literal
            ? ', and the line stops working when the image moves to another Python (python3.12, 3.13 …)'
            : '') +
          ' — say it explicitly with PIP_BREAK_SYSTEM_PACKAGES=1 on the commands that need it, or use a venv',
      });
    }
  },
});

/**
 * The marker this rm/mv/unlink takes away, if any. For `mv` only a source counts (moving a file *to*
 * EXTERNALLY-MANAGED puts a marker back). Only a path that can be a Python's stdlib directory counts —
 * one naming python, a glob or an expansion, or a bare name (after `cd`) — not `/tmp/EXTERNALLY-MANAGED`.
 * A glob in quotes is not expanded by the shell: that rm matches no file and removes nothing.
 */
function removedMarker(step: Step, program: string): { path: string; literal: boolean } | undefined {
  const args = step.command.argv.slice(1);
  const dd = args.findIndex((w) => w.value === '--');
  const isOperand = (w: Word, k: number) => (dd !== -1 && k > dd) || (k !== dd && !w.value.startsWith('-'));
  let operands = args.filter(isOperand);
  if (program === 'mv') {
    const t = args.findIndex(
      (w, k) => (dd === -1 || k < dd) && (w.value === '-t' || w.value === '--target-directory'),
    );
    const withTarget = args.some(
      (w) => w.value.startsWith('--target-directory=') || /^-[a-zA-Z]*t./.test(w.value),
    );
    // `mv -t DIR SRC…`: every operand but DIR is a source; otherwise the last operand is the destination
    if (t !== -1) operands = operands.filter((w) => w !== args[t + 1]);
    else if (!withTarget) operands = operands.slice(0, -1);
  }
  const shellString = inShellString(step.command);
  for (const w of operands) {
    if (!MARKER.test(w.value)) continue;
    const dir = w.value.slice(0, Math.max(w.value.lastIndexOf('/'), 0));
    const glob = [...w.value].some(
      (c, k) => '*?['.includes(c) && (shellString || !quotedAt(step.line.text, w.start, textIndex(w, k))),
    );
    if ([...w.value].some((c) => '*?['.includes(c)) && !glob) continue; // a quoted glob matches nothing
    if (dir !== '' && !/python/i.test(dir) && !glob && !w.dynamic) continue;
    return { path: w.value, literal: !glob && !w.dynamic };
  }
  return undefined;
}

/** True when text offset `at`, inside the word that starts at `start`, is quoted or escaped. */
function quotedAt(text: string, start: number, at: number): boolean {
  let quote: string | null = null;
  for (let i = start; i < at; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = null;
    } else if (c === '\\') {
      if (i + 1 === at) return true;
      i++;
    } else if (quote === '"') {
      if (c === '"') quote = null;
    } else if (c === '"' || c === "'") quote = c;
  }
  return quote !== null;
}
