/** Parse every YAML document of a file, keeping source positions; errors become values, never throws. */
import {
  type CollectionTag,
  Composer,
  type CST,
  type Document,
  type DocumentOptions,
  type ParseOptions,
  Parser,
  type SchemaOptions,
} from 'yaml';
import { fastParse, scalarResolver } from './fast-parse.ts';
import { type AliasTargets, aliasTargets, buildLocated, type LNode } from './located.ts';
import { MAX_NESTING } from './nesting.ts';

export interface ParsedDocument {
  /** The document's located tree; yaml's own Document is let go once this is built. */
  root: LNode | null;
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

const NO_ALIASES: AliasTargets = { targets: new Map(), unknown: [] };

/**
 * GitLab's `!reference [.job, script]` is a tag yaml does not know: it would add an "Unresolved tag"
 * warning (an Error object, with its stack) for each one. Known, the list is kept as it is, tag and all.
 */
const GITLAB_REFERENCE: CollectionTag = { tag: '!reference', collection: 'seq', default: false };

export const PARSE_OPTIONS: DocumentOptions & ParseOptions & SchemaOptions = {
  keepSourceTokens: true,
  uniqueKeys: false,
  prettyErrors: false,
  customTags: [GITLAB_REFERENCE],
};

/** How the fast path gives plain scalars their types: as yaml does, with the same options. */
const RESOLVER = scalarResolver(PARSE_OPTIONS);

export function parseYamlText(path: string, text: string): ParsedFile {
  const root = fastParse(path, text, RESOLVER);
  if (root !== undefined) return { path, text, documents: [{ root }], errors: [] };
  return parseWithYaml(path, text);
}

/** The whole of YAML, and its errors: yaml's parser and composer. */
export function parseWithYaml(path: string, text: string): ParsedFile {
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
    const composer = new Composer(PARSE_OPTIONS);
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
    // (an alias is written `*name`: a file without `*` has none, and the walk can be skipped)
    const aliases = text.includes('*') ? aliasTargets(doc) : NO_ALIASES;
    if (aliases.unknown.length > 0) {
      // one error per unknown alias; a loop, not a spread: there may be 100 000 of them
      for (const alias of aliases.unknown) {
        errors.push({
          offset: alias.range?.[0] ?? 0,
          message: `alias *${alias.source} has no anchor before it`,
        });
      }
      continue;
    }
    try {
      documents.push({ root: buildLocated(doc, path, aliases) });
    } catch (e) {
      errors.push({ offset: doc.range?.[0] ?? 0, message: `YAML document could not be read: ${String(e)}` });
    }
  }
  return { path, text, documents, errors };
}

/** Offset of the first collection nested deeper than `limit`, or -1. Iterative: it must not recurse. */
function tooDeep(root: CST.Token, limit: number): number {
  // two parallel stacks rather than a tuple per token: this runs over every token of every file
  const tokens: CST.Token[] = [root];
  const depths: number[] = [0];
  for (let token = tokens.pop(); token; token = tokens.pop()) {
    const depth = depths.pop()!;
    switch (token.type) {
      case 'document':
        if (token.value) {
          tokens.push(token.value);
          depths.push(depth);
        }
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection':
        if (depth + 1 > limit) return token.offset;
        for (const item of token.items) {
          if (item.key) {
            tokens.push(item.key);
            depths.push(depth + 1);
          }
          if (item.value) {
            tokens.push(item.value);
            depths.push(depth + 1);
          }
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
