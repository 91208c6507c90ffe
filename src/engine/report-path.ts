/**
 * Where a report may be written (`--output`, the Action's `sarif-file`): not a folder, and not over a
 * file the run lints (checkEach refuses that once discovery has found the inputs, before the report
 * is opened: opening it would empty the file before it is read).
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from './settings.ts';

export interface ReportTarget {
  /** Absolute. */
  path: string;
  /** The option and the path as the user gave them (`--output .gitlab-ci.yml`), for messages. */
  named: string;
}

export function reportTarget(option: string, output: string, cwd: string): ReportTarget {
  const path = resolve(cwd, output);
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`${option} ${output} is a folder; name a file`);
  return { path, named: `${option} ${output}` };
}
