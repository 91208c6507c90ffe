/** The texts of every file a run has read, with line indexes for reporting positions. */
import { LineIndex, type Position } from '../model/span.ts';

export class Sources {
  private readonly texts = new Map<string, string>();
  private readonly indexes = new Map<string, LineIndex>();

  add(path: string, text: string): void {
    this.texts.set(path, text);
    this.indexes.delete(path);
  }

  /** Takes over every text of `other` (a file's own Sources, into the run's). */
  addAll(other: Sources): void {
    for (const [path, text] of other.texts) this.add(path, text);
  }

  /** The texts, as plain pairs (to send to another thread). */
  entries(): [path: string, text: string][] {
    return [...this.texts];
  }

  static of(entries: Iterable<[path: string, text: string]>): Sources {
    const sources = new Sources();
    for (const [path, text] of entries) sources.add(path, text);
    return sources;
  }

  text(path: string): string {
    return this.texts.get(path) ?? '';
  }

  has(path: string): boolean {
    return this.texts.has(path);
  }

  index(path: string): LineIndex {
    let idx = this.indexes.get(path);
    if (!idx) {
      idx = new LineIndex(this.text(path));
      this.indexes.set(path, idx);
    }
    return idx;
  }

  position(path: string, offset: number): Position {
    return this.index(path).position(offset);
  }
}
