/** The texts of every file a run has read, with line indexes for reporting positions. */
import { LineIndex, type Position } from '../model/span.ts';

export class Sources {
  private readonly texts = new Map<string, string>();
  private readonly indexes = new Map<string, LineIndex>();

  add(path: string, text: string): void {
    this.texts.set(path, text);
    this.indexes.delete(path);
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
