import type { ScriptLine } from '../model/job.ts';
import type { LScalar } from '../yaml/located.ts';
import { mapScalar } from '../yaml/scalar-offsets.ts';

/** A script item as a ScriptLine: its shell text and the way back to file offsets. */
export function toScriptLine(node: LScalar, section: string): ScriptLine {
  node.mapped ??= mapScalar(node.node);
  const { text, offsets, style, exact } = node.mapped;
  return {
    path: node.path,
    text,
    offsets,
    style,
    exact,
    span: { path: node.path, start: node.range[0], end: node.range[1] },
    section,
  };
}
