/** The output formats, by name: one table for the CLI and the GitHub Action. */
import type { FixStrategy } from '../model/finding.ts';
import { githubStream, renderGithub } from './github.ts';
import { gitlabStream, renderGitlab } from './gitlab.ts';
import { jsonStream, renderJson } from './json.ts';
import { renderSarif, sarifStream } from './sarif.ts';
import type { Report, ReportStream } from './types.ts';

export const FORMATS = ['text', 'json', 'sarif', 'github', 'gitlab'] as const;
export type Format = (typeof FORMATS)[number];

/** Machine formats; `text` (reporters/text.ts) also takes colour and quiet options. */
export const RENDER: Record<Exclude<Format, 'text'>, (report: Report) => string> = {
  json: renderJson,
  sarif: renderSarif,
  github: renderGithub,
  gitlab: renderGitlab,
};

/** The same formats, fed file by file (the CLI's way: see ReportStream). */
export const STREAM: Record<Exclude<Format, 'text'>, (strategy: FixStrategy) => ReportStream> = {
  json: jsonStream,
  sarif: sarifStream,
  github: githubStream,
  gitlab: gitlabStream,
};
