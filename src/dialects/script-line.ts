import type { ScriptLine } from '../model/job.ts';
import type { Span } from '../model/span.ts';
import type { LScalar } from '../yaml/located.ts';
import { type MappedText, mapScalar, type ScalarStyle, scalarString } from '../yaml/scalar-offsets.ts';

/**
 * A script item as a ScriptLine: its shell text, and the way back to file offsets. The text is the
 * scalar's value; the offset map (a number per character) is made only when something asks where a
 * character lies — a finding, a fix, a variable's origin — and once per scalar, however many jobs
 * share it (a template's script is the same node in each).
 */
class ScalarScriptLine implements ScriptLine {
  readonly path: string;
  readonly text: string;
  readonly span: Span;

  constructor(
    private readonly node: LScalar,
    readonly section: string,
  ) {
    this.path = node.path;
    this.text = scalarString(node.node);
    this.span = { path: node.path, start: node.range[0], end: node.range[1] };
  }

  private get mapped(): MappedText {
    this.node.mapped ??= mapScalar(this.node.node);
    return this.node.mapped;
  }

  get offsets(): number[] {
    return this.mapped.offsets;
  }

  get style(): ScalarStyle {
    return this.mapped.style;
  }

  get exact(): boolean {
    return this.mapped.exact;
  }
}

export function toScriptLine(node: LScalar, section: string): ScriptLine {
  return new ScalarScriptLine(node, section);
}

/**
 * A script an action runs for the user, built from its input (`apk add $packages`): every character
 * points at the input's value, and no fix is offered in it (the text is not in the file).
 */
export function actionScriptLine(text: string, at: Span, section: string): ScriptLine {
  return {
    path: at.path,
    text,
    offsets: new Array<number>(text.length).fill(at.start),
    style: 'plain',
    exact: false,
    span: at,
    section,
  };
}
