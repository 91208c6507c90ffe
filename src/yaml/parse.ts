/** Parse every YAML document of a file, keeping source positions; errors become values, never throws. */
import { Composer, type CST, type Document, isAlias, Parser, visit } from 'yaml';
import { buildLocated, type LNode } from './located.ts';

export interface ParsedDocument {
  root: LNode | null;
  doc: Document;
}

export interface YamlError {
  offset: number;
  message: string;
}

export interface ParsedFile {
  path: string;
  text: string;
  documents: ParsedDocument[];
  errors: YamlError[];
}

/**
 * Deepest nesting of collections we compose. The yaml composer recurses once per level; near the
 * end of the stack V8 can die with a fatal "RegExpCompiler Allocation failed" instead of throwing
 * (seen with a few thousand `[` followed by another deep file), which no try/catch can stop. Real
 * CI files nest a few dozen levels at most.
 */
export const MAX_NESTING = 256;

const OPTIONS = { keepSourceTokens: true, uniqueKeys: false, prettyErrors: false } as const;

export function parseYamlText(path: string, text: string): ParsedFile {
  const errors: YamlError[] = [];
  const documents: ParsedDocument[] = [];
  let docs: Document.Parsed[];
  try {
    // parseAllDocuments, in two steps so the nesting can be checked before composing.
    const tokens = Array.from(new Parser().parse(text));
    for (const token of tokens) {
      const deep = tooDeep(token, MAX_NESTING);
      if (deep !== -1) {
        errors.push({
          offset: deep,
          message: `YAML nesting is deeper than ${MAX_NESTING} levels; not parsed`,
        });
        return { path, text, documents, errors };
      }
    }
    const composer = new Composer(OPTIONS);
    docs = [...composer.compose(tokens)];
  } catch (e) {
    return { path, text, documents, errors: [{ offset: 0, message: `YAML parser failed: ${String(e)}` }] };
  }
  for (const doc of docs) {
    for (const err of doc.errors) {
      errors.push({ offset: err.pos[0], message: firstLine(err.message) });
    }
    if (doc.errors.length > 0) continue;
    // yaml only notices an alias without an anchor when converting to JS; for us it is a parse error.
    const unknown = unknownAliases(doc);
    if (unknown.length > 0) {
      // one error per unknown alias; a loop, not a spread: there may be 100 000 of them
      for (const e of unknown) errors.push(e);
      continue;
    }
    try {
      documents.push({ doc, root: buildLocated(doc, path) });
    } catch (e) {
      errors.push({ offset: doc.range?.[0] ?? 0, message: `YAML document could not be read: ${String(e)}` });
    }
  }
  return { path, text, documents, errors };
}

/** Aliases that name no anchor defined before them (in document order, as `Alias#resolve` looks). */
function unknownAliases(doc: Document): YamlError[] {
  const anchors = new Set<string>();
  const out: YamlError[] = [];
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) {
        if (!anchors.has(node.source)) {
          out.push({
            offset: node.range?.[0] ?? 0,
            message: `alias *${node.source} has no anchor before it`,
          });
        }
      } else if (node.anchor) anchors.add(node.anchor);
    },
  });
  return out;
}

/** Offset of the first collection nested deeper than `limit`, or -1. Iterative: it must not recurse. */
function tooDeep(root: CST.Token, limit: number): number {
  const stack: [CST.Token, number][] = [[root, 0]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [token, depth] = top;
    const push = (t: CST.Token | null | undefined, d: number) => {
      if (t) stack.push([t, d]);
    };
    switch (token.type) {
      case 'document':
        push(token.value, depth);
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection':
        if (depth + 1 > limit) return token.offset;
        for (const item of token.items) {
          push(item.key, depth + 1);
          push(item.value, depth + 1);
        }
        break;
    }
  }
  return -1;
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  // yaml appends " at line L, column C" itself; we print positions our own way.
  return line.replace(/ at line \d+, column \d+:?$/, '');
}
