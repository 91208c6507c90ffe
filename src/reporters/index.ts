/** The output formats, by name: one table for the CLI and the GitHub Action. */
import { renderGithub } from './github.ts';
import { renderGitlab } from './gitlab.ts';
import { renderJson } from './json.ts';
import { renderSarif } from './sarif.ts';
import type { Report } from './types.ts';

export const FORMATS = ['text', 'json', 'sarif', 'github', 'gitlab'] as const;
export type Format = (typeof FORMATS)[number];

/** Machine formats; `text` (reporters/text.ts) also takes colour and quiet options. */
export const RENDER: Record<Exclude<Format, 'text'>, (report: Report) => string> = {
  json: renderJson,
  sarif: renderSarif,
  github: renderGithub,
  gitlab: renderGitlab,
};
