/**
 * Where a report may be written (`--output`, the Action's `sarif-file`): not over a file the run lints
 * (opening it for the report would empty it before it is read), and not a folder.
 */
import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CheckSettings } from './check.ts';
import { discover } from './discover.ts';
import { UsageError } from './settings.ts';

/** The report's absolute path, which discovery then leaves out (a report in a scanned folder is not an input). */
export function reportPath(option: string, output: string, settings: CheckSettings): string {
  const target = resolve(settings.cwd, output);
  if (statSync(target, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`${option} ${output} is a folder; name a file`);
  const real = (p: string) => {
    try {
      return realpathSync(resolve(settings.cwd, p));
    } catch {
      return resolve(settings.cwd, p);
    }
  };
  const inputs = settings.stdin ? [] : discover(settings.paths, settings.cwd, settings.ignore).files;
  if (inputs.some((p) => real(p) === real(target)))
    throw new UsageError(
      `${option} ${output} is one of the files being linted; the report would overwrite it`,
    );
  return target;
}
