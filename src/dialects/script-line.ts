import type { Scalar } from 'yaml';
import type { ScriptLine } from '../model/job.ts';
import type { LScalar } from '../yaml/located.ts';
import { type MappedText, mapScalar } from '../yaml/scalar-offsets.ts';

/**
 * One mapping per scalar: a template's script (`default: before_script`, an anchor, `extends`) is
 * the same node in every job that uses it, and mapping it again for each job only made garbage.
 */
const mappedOnce = new WeakMap<Scalar, MappedText>();

/** A script item as a ScriptLine: its shell text and the way back to file offsets. */
export function toScriptLine(node: LScalar, section: string): ScriptLine {
  let mapped = mappedOnce.get(node.node);
  if (!mapped) {
    mapped = mapScalar(node.node);
    mappedOnce.set(node.node, mapped);
  }
  return {
    path: node.path,
    text: mapped.text,
    offsets: mapped.offsets,
    style: mapped.style,
    exact: mapped.exact,
    span: { path: node.path, start: node.range[0], end: node.range[1] },
    section,
  };
}
