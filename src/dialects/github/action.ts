/**
 * A composite action (`action.yml` with `runs.using: composite`) on its own: its Python comes from
 * whichever job calls it, so it is linted with an unknown environment. Called from a local workflow
 * step (`uses: ./path`), it is inlined into that job instead (see steps.ts) and not linted here.
 */
import type { Diagnostic } from '../../model/finding.ts';
import type { Pipeline, Shell } from '../../model/job.ts';
import { quoteName } from '../../model/quote.ts';
import { get, scalarText } from '../../yaml/located.ts';
import type { ParsedFile } from '../../yaml/parse.ts';
import { isMap } from '../gitlab/merge.ts';
import { type ActionHost, actionInputs, stepsToShells } from './steps.ts';

export function resolveGithubAction(file: ParsedFile, host?: ActionHost): Pipeline {
  const diagnostics: Diagnostic[] = [];
  const pipeline: Pipeline = {
    path: file.path,
    dialect: 'github-action',
    jobs: [],
    diagnostics,
    includedFiles: [],
  };
  const root = file.documents[0]?.root;
  if (!isMap(root)) return pipeline;
  const runs = get(root, 'runs');
  const using = scalarText(get(runs, 'using'));
  if (using !== 'composite') return pipeline; // node and docker actions run no shell steps we can read
  const inputs = actionInputs(root, new Map(), {});
  const shells: Shell[] = [];
  stepsToShells(
    get(runs, 'steps'),
    {
      expr: { inputs },
      os: 'unknown',
      diagnostics,
      includedFiles: pipeline.includedFiles,
      depth: 0,
      ...(host ? { host } : {}),
    },
    shells,
    [],
  );
  const runsPair = root.entries.get('runs');
  pipeline.jobs.push({
    name: `composite action ${scalarText(get(root, 'name')) ?? file.path}`,
    label: quoteName(`composite action ${scalarText(get(root, 'name')) ?? file.path}`),
    path: file.path,
    span: { path: file.path, start: runsPair?.keyRange[0] ?? 0, end: runsPair?.keyRange[1] ?? 0 },
    variables: new Map(),
    shells,
    unknownBecause:
      'a composite action runs in the environment of the job that calls it, and no caller was linted with it',
  });
  return pipeline;
}
