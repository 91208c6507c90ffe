/**
 * One file, end to end: bytes → text → YAML → dialect → jobs → findings. Never throws for bad input:
 * every problem becomes a diagnostic with a position, and the caller moves on to the next file.
 */
import { dialectFromContent, dialectFromPath } from '../dialects/detect.ts';
import { resolveGithubAction } from '../dialects/github/action.ts';
import { resolveGithubWorkflow } from '../dialects/github/workflow.ts';
import { resolveGitlabPipeline } from '../dialects/gitlab/pipeline.ts';
import { startFile } from '../memory-guard.ts';
import type { Diagnostic, Finding } from '../model/finding.ts';
import type { Dialect, Pipeline } from '../model/job.ts';
import { bytePosition, decodeSource } from '../yaml/decode.ts';
import { type ParsedFile, parseYamlText } from '../yaml/parse.ts';
import { type LintOptions, lintPipeline } from './lint.ts';
import { fileIncludeHost, projectRootFor, repoRootFor, scriptLoader } from './project.ts';
import type { Sources } from './sources.ts';
import { applySuppressions, findSuppressions } from './suppress.ts';

export interface FileResult {
  path: string;
  /** Files this one pulled in (GitLab `include: local`); they are linted through it. */
  includedFiles: string[];
  dialect?: Dialect;
  findings: Finding[];
  diagnostics: Diagnostic[];
  pipeline?: Pipeline;
}

export interface RunOptions extends LintOptions {
  /** Force a dialect (`--dialect`). */
  dialect?: Dialect;
  maxBytes?: number;
  /** Project root for GitLab `include: local` (`--root`). */
  root?: string;
}

export function lintBytes(
  path: string,
  bytes: Uint8Array,
  sources: Sources,
  options: RunOptions,
): FileResult {
  const decoded = decodeSource(bytes, options.maxBytes);
  if (!decoded.ok) {
    const pos = bytePosition(bytes, decoded.error.byteOffset);
    return {
      path,
      includedFiles: [],
      findings: [],
      diagnostics: [{ path, ...pos, severity: 'error', message: decoded.error.message }],
    };
  }
  return lintText(path, decoded.value.text, sources, options);
}

export function lintText(path: string, text: string, sources: Sources, options: RunOptions): FileResult {
  sources.add(path, text);
  startFile();
  const parsed = parseYamlText(path, text);
  const diagnostics: Diagnostic[] = parsed.errors.map((e) => ({
    path,
    offset: e.offset,
    severity: 'error',
    message: e.message,
  }));
  if (parsed.errors.length > 0) return { path, includedFiles: [], findings: [], diagnostics };
  const dialect =
    options.dialect ?? dialectFromPath(path) ?? dialectFromContent(parsed.documents.map((d) => d.root));
  const result: FileResult = { path, includedFiles: [], findings: [], diagnostics };
  if (!dialect) {
    diagnostics.push({
      path,
      offset: 0,
      severity: 'info',
      message:
        'not recognised as a GitLab CI file or a GitHub workflow/action; use --dialect to say which it is',
    });
    return result;
  }
  result.dialect = dialect;
  const pipeline = resolvePipeline(dialect, parsed, sources, options);
  result.pipeline = pipeline;
  result.includedFiles = pipeline.includedFiles;
  for (const d of pipeline.diagnostics) diagnostics.push(d);
  const findings = lintPipeline(pipeline, (p) => sources.text(p), {
    ...options,
    scripts: scriptLoader(rootOf(dialect, path, options), sources),
  });
  const suppressions = new Map([[path, findSuppressions(path, text)]]);
  result.findings = applySuppressions(findings, sources, suppressions);
  for (const s of suppressions.get(path) ?? []) {
    if (!s.used && s.rules.some((r) => options.rules.some((rule) => rule.id === r))) {
      diagnostics.push({
        path,
        line: s.line,
        column: 1,
        severity: 'info',
        message: `unused suppression: no ${s.rules.join(', ')} finding here`,
      });
    } else if (s.used && s.reason === '') {
      diagnostics.push({
        path,
        line: s.line,
        column: 1,
        severity: 'info',
        message:
          'suppression without a reason: say why after the brackets, e.g. `# ci-lint: ignore[rule] the image is ours`',
      });
    }
  }
  return result;
}

/** The folder that repository paths in this file (includes, `./ci/x.sh`, `uses: ./x`) are relative to. */
export function rootOf(dialect: Dialect, path: string, options: RunOptions): string {
  return dialect === 'gitlab' ? projectRootFor(path, options.root) : repoRootFor(path, options.root);
}

function resolvePipeline(
  dialect: Dialect,
  parsed: ParsedFile,
  sources: Sources,
  options: RunOptions,
): Pipeline {
  switch (dialect) {
    case 'gitlab':
      return resolveGitlabPipeline(parsed, fileIncludeHost(rootOf(dialect, parsed.path, options), sources));
    case 'github-workflow':
    case 'github-action': {
      const repoRoot = rootOf(dialect, parsed.path, options);
      const host = { ...fileIncludeHost(repoRoot, sources), repoRoot };
      return dialect === 'github-workflow'
        ? resolveGithubWorkflow(parsed, host)
        : resolveGithubAction(parsed, host);
    }
  }
}
