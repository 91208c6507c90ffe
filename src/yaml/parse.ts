/** Parse every YAML document of a file, keeping source positions; errors become values, never throws. */
import { type Document, parseAllDocuments } from 'yaml';
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

export function parseYamlText(path: string, text: string): ParsedFile {
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, { keepSourceTokens: true, uniqueKeys: false, prettyErrors: false });
  } catch (e) {
    return {
      path,
      text,
      documents: [],
      errors: [{ offset: 0, message: `YAML parser failed: ${String(e)}` }],
    };
  }
  // parseAllDocuments returns an EmptyStream (no documents) for an empty file.
  const list = Array.isArray(docs) ? docs : [];
  const errors: YamlError[] = [];
  const documents: ParsedDocument[] = [];
  for (const doc of list) {
    for (const err of doc.errors) {
      errors.push({ offset: err.pos[0], message: firstLine(err.message) });
    }
    if (doc.errors.length === 0) documents.push({ doc, root: buildLocated(doc, path) });
  }
  return { path, text, documents, errors };
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  // yaml appends " at line L, column C" itself; we print positions our own way.
  return line.replace(/ at line \d+, column \d+:?$/, '');
}
