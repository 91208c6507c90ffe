/**
 * The sarif, github, gitlab and Markdown reporters, fed by the real engine on real inputs (the seed
 * fixture, the rule cases, files written here). SARIF output is validated against the SARIF 2.1.0
 * JSON schema that Microsoft's SARIF SDK ships (@microsoft/jest-sarif, draft-04, 2.1.0-rtm.5).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import AjvDraft04 from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { RULES } from '../rules/index.ts';
import { docsUrl, REPOSITORY_URL } from '../src/engine/rule.ts';
import { lintText } from '../src/engine/run.ts';
import { Sources } from '../src/engine/sources.ts';
import type { Diagnostic, Finding } from '../src/model/finding.ts';
import { FINGERPRINT_KEY } from '../src/reporters/fingerprint.ts';
import { ANNOTATIONS_PER_KIND, escapeData, escapeProperty, renderGithub } from '../src/reporters/github.ts';
import { type CodeQualityIssue, INPUT_ERROR_CHECK, renderGitlab } from '../src/reporters/gitlab.ts';
import { renderMarkdownSummary } from '../src/reporters/markdown.ts';
import { artifactUri, renderSarif } from '../src/reporters/sarif.ts';
import type { Report } from '../src/reporters/types.ts';
import { VERSION } from '../src/version.ts';
import { baseOptions, check, lintString } from './helpers/lint.ts';

const ROOT = new URL('../', import.meta.url);
const SEED_PATH = 'fixtures/debian-flit/.gitlab-ci.yml';
const SEED = readFileSync(new URL(SEED_PATH, ROOT), 'utf8');
const SEED_COMMAND = 'FLIT_ROOT_INSTALL=1 flit install';

/** A report as the CLI builds it, from files linted by the engine into one shared `Sources`. */
function reportOf(files: [path: string, text: string][]): Report {
  const sources = new Sources();
  const findings: Finding[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [path, text] of files) {
    const r = lintText(path, text, sources, baseOptions());
    findings.push(...r.findings);
    diagnostics.push(...r.diagnostics);
  }
  return { findings, diagnostics, filesChecked: files.length, sources, strategy: 'venv' };
}

function reportOfString(path: string, text: string): Report {
  const r = lintString(path, text);
  return {
    findings: r.findings,
    diagnostics: r.diagnostics,
    filesChecked: 1,
    sources: r.sources,
    strategy: 'venv',
  };
}

function yamlFiles(dir: string): string[] {
  return readdirSync(new URL(`${dir}/`, ROOT), { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? yamlFiles(`${dir}/${e.name}`) : /\.ya?ml$/.test(e.name) ? [`${dir}/${e.name}`] : [],
    )
    .sort();
}

/** Every rule case (not the expected fixed outputs) and the seed fixture, as [path, text]. */
function realInputs(): [string, string][] {
  const out: [string, string][] = [[SEED_PATH, SEED]];
  for (const rule of RULES) {
    const dir = new URL(`rules/${rule.id}/cases/`, ROOT);
    for (const name of readdirSync(dir).sort())
      if (!name.includes('.fixed.'))
        out.push([`rules/${rule.id}/cases/${name}`, readFileSync(new URL(name, dir), 'utf8')]);
  }
  return out;
}

// ---------------------------------------------------------------- SARIF schema

const require = createRequire(import.meta.url);
const SARIF_SCHEMA = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as {
  id: string;
  title: string;
};
// CommonJS modules: their `default` is the class / plugin itself. rtm.5 has one pattern that is not
// valid with the `u` flag (toolComponent.language, fixed in errata01; ci-lint does not emit it).
const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
addFormatsModule.default(ajv);
const validateSarifSchema = ajv.compile(SARIF_SCHEMA);

// biome-ignore lint/suspicious/noExplicitAny: SARIF logs are walked as plain JSON
type Json = any;

/**
 * The schema, plus the one constraint the OASIS errata01 schema adds that rtm.5 lacks: a region says
 * where it is (startLine, charOffset or byteOffset).
 */
function sarifErrors(log: Json): string[] {
  const errors: string[] = [];
  if (!validateSarifSchema(log))
    for (const e of validateSarifSchema.errors ?? []) errors.push(`${e.instancePath} ${e.message}`);
  const walk = (node: Json, at: string) => {
    if (Array.isArray(node)) for (const [i, n] of node.entries()) walk(n, `${at}/${i}`);
    else if (node && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) {
        if ((k === 'region' || k === 'deletedRegion') && v && typeof v === 'object') {
          const r = v as Record<string, unknown>;
          if (r.startLine === undefined && r.charOffset === undefined && r.byteOffset === undefined)
            errors.push(`${at}/${k} has no startLine, charOffset or byteOffset`);
        }
        walk(v, `${at}/${k}`);
      }
  };
  walk(log, '');
  return errors;
}

function sarifOf(report: Report): Json {
  const log = JSON.parse(renderSarif(report));
  assert.deepEqual(sarifErrors(log), [], 'the SARIF log is valid');
  return log;
}

describe('sarif', () => {
  test('the schema in use is SARIF 2.1.0, and it rejects what it should (the validation is live)', () => {
    assert.match(SARIF_SCHEMA.title, /SARIF\) Version 2\.1\.0/);
    const good = JSON.parse(renderSarif(reportOfString(SEED_PATH, SEED)));
    assert.deepEqual(sarifErrors(good), []);
    const broken = structuredClone(good);
    broken.runs[0].results[0].locations[0].physicalLocation.region.endColumn = 0;
    broken.runs[0].results[0].level = 'fatal';
    delete broken.runs[0].tool.driver.name;
    const errors = sarifErrors(broken);
    assert.ok(
      errors.some((e) => e.includes('/region/endColumn')),
      errors.join('\n'),
    );
    assert.ok(
      errors.some((e) => e.includes('/results/0/level')),
      errors.join('\n'),
    );
    assert.ok(
      errors.some((e) => e.includes("must have required property 'name'")),
      errors.join('\n'),
    );
  });

  test('the seed fixture: one run, every rule described, the finding located, fixed and fingerprinted', () => {
    const log = sarifOf(reportOfString(SEED_PATH, SEED));
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const run = log.runs[0];
    const driver = run.tool.driver;
    assert.equal(driver.name, 'ci-lint');
    assert.equal(driver.version, VERSION);
    assert.equal(driver.informationUri, REPOSITORY_URL);
    assert.deepEqual(
      driver.rules.map((r: Json) => r.id),
      RULES.map((r) => r.id),
    );
    for (const [i, rule] of RULES.entries()) {
      const d = driver.rules[i];
      assert.equal(d.shortDescription.text, rule.summary);
      assert.equal(d.helpUri, docsUrl(rule.id));
      assert.equal(
        d.defaultConfiguration.level,
        { error: 'error', warning: 'warning', info: 'note' }[rule.severity],
      );
      const readme = readFileSync(new URL(`rules/${rule.id}/README.md`, ROOT), 'utf8');
      assert.equal(d.help.markdown, readme.trimEnd(), 'help is the rule README');
      assert.ok(readme.includes(d.fullDescription.markdown), 'fullDescription is a paragraph of the README');
      assert.doesNotMatch(d.fullDescription.text, /`/);
    }

    assert.equal(run.results.length, 1);
    const r = run.results[0];
    assert.equal(r.ruleId, 'indirect-pip-system-python');
    assert.equal(driver.rules[r.ruleIndex].id, r.ruleId);
    assert.equal(r.level, 'error');
    assert.match(r.message.text, /job "build:flit" runs flit install on debian:bookworm/);
    const loc = r.locations[0].physicalLocation;
    assert.equal(loc.artifactLocation.uri, SEED_PATH);
    assert.deepEqual(loc.region, {
      startLine: 7,
      startColumn: 5,
      endLine: 7,
      endColumn: 5 + SEED_COMMAND.length, // exclusive: the column just after the command
      snippet: { text: SEED_COMMAND },
    });
    assert.equal(SEED.split('\n')[6]!.slice(4, loc.region.endColumn - 1), SEED_COMMAND);
    assert.deepEqual(r.relatedLocations[0].physicalLocation.region, {
      startLine: 1,
      startColumn: 8,
      endLine: 1,
      endColumn: 8 + 'debian:bookworm'.length,
    });
    assert.match(r.relatedLocations[0].message.text, /image/);
    assert.match(r.partialFingerprints[FINGERPRINT_KEY], /^[0-9a-f]{64}$/);
    assert.deepEqual(r.properties.jobs, ['build:flit']);
    assert.deepEqual(
      r.fixes.map((f: Json) => [f.properties.strategy, f.properties.applicability]),
      [
        ['venv', 'unsafe'],
        ['pipx', 'suggestion'],
        ['override', 'safe'],
      ],
    );
    assert.deepEqual(run.invocations, [{ executionSuccessful: true, toolExecutionNotifications: [] }]);
  });

  test('SARIF fixes, applied by offsets, give the rule case’s expected fixed file', () => {
    const dir = 'rules/indirect-pip-system-python/cases/';
    const text = readFileSync(new URL(`${dir}seed-flit-bookworm.yml`, ROOT), 'utf8');
    const log = sarifOf(reportOfString(`${dir}seed-flit-bookworm.yml`, text));
    const apply = (fix: Json) => {
      assert.equal(fix.artifactChanges.length, 1);
      const replacements = [...fix.artifactChanges[0].replacements].sort(
        (a: Json, b: Json) => b.deletedRegion.charOffset - a.deletedRegion.charOffset,
      );
      let out = text;
      for (const { deletedRegion: d, insertedContent } of replacements)
        out =
          out.slice(0, d.charOffset) + (insertedContent?.text ?? '') + out.slice(d.charOffset + d.charLength);
      return out;
    };
    const fixes = log.runs[0].results[0].fixes;
    for (const strategy of ['override', 'venv']) {
      const fix = fixes.find((f: Json) => f.properties.strategy === strategy);
      const expected = readFileSync(new URL(`${dir}seed-flit-bookworm.${strategy}.fixed.yml`, ROOT), 'utf8');
      assert.equal(apply(fix), expected, strategy);
    }
  });

  test('every rule case gives a valid log; levels follow severities; input errors are notifications', () => {
    const inputs = realInputs();
    const report = reportOf(inputs);
    const levels = new Set<string>();
    const log = sarifOf(report);
    assert.equal(log.runs[0].results.length, report.findings.length);
    for (const [i, r] of log.runs[0].results.entries()) {
      const f = report.findings[i]!;
      assert.equal(r.level, { error: 'error', warning: 'warning', info: 'note' }[f.severity]);
      const { region } = r.locations[0].physicalLocation;
      const text = report.sources.text(f.span.path);
      assert.equal(region.snippet.text, text.slice(f.span.start, f.span.end));
      if (region.startLine === region.endLine)
        assert.equal(region.endColumn - region.startColumn, f.span.end - f.span.start);
      levels.add(r.level);
    }
    assert.deepEqual([...levels].sort(), ['error', 'note', 'warning']);

    const broken = sarifOf(reportOf([['.gitlab-ci.yml', 'job:\n  script: [\n']]));
    const inv = broken.runs[0].invocations[0];
    assert.equal(inv.executionSuccessful, false);
    assert.equal(inv.toolExecutionNotifications.length, 1);
    assert.equal(inv.toolExecutionNotifications[0].level, 'error');
    assert.equal(
      inv.toolExecutionNotifications[0].locations[0].physicalLocation.artifactLocation.uri,
      '.gitlab-ci.yml',
    );
    assert.ok(inv.toolExecutionNotifications[0].locations[0].physicalLocation.region.startLine >= 1);
  });

  test('the engine run the CLI does, over every fixture (includes, CRLF, components, workflows), gives a valid log', () => {
    const files = yamlFiles('fixtures');
    const cwd = process.cwd();
    process.chdir(fileURLToPath(ROOT));
    let result: ReturnType<typeof check>;
    try {
      result = check({ cwd: process.cwd(), paths: files, ignore: [], ...baseOptions() });
    } finally {
      process.chdir(cwd);
    }
    const report: Report = { ...result, strategy: 'venv' };
    assert.ok(report.findings.length > 10);
    const log = sarifOf(report);
    for (const r of log.runs[0].results) {
      const { artifactLocation, region } = r.locations[0].physicalLocation;
      const lines = readFileSync(new URL(artifactLocation.uri, ROOT), 'utf8').split(/\r\n|\n|\r/);
      if (region.startLine === region.endLine)
        assert.equal(
          lines[region.startLine - 1]!.slice(region.startColumn - 1, region.endColumn - 1),
          region.snippet.text,
        );
    }
    // the other reporters take the same report without trouble
    assert.ok(renderGithub(report).length > 0);
    assert.ok((JSON.parse(renderGitlab(report)) as unknown[]).length >= report.findings.length);
    assert.match(renderMarkdownSummary(report), /\| Severity \|/);
  });

  test('a multi-line command: endLine/endColumn point just past its last character', () => {
    const text = `image: debian:bookworm\njob:\n  script:\n    - |\n      pip install \\\n        requests\n`;
    const log = sarifOf(reportOfString('.gitlab-ci.yml', text));
    const { region } = log.runs[0].results[0].locations[0].physicalLocation;
    assert.deepEqual(
      [region.startLine, region.startColumn, region.endLine, region.endColumn],
      [5, 7, 6, 9 + 'requests'.length],
    );
    assert.equal(region.snippet.text, 'pip install \\\n        requests');
  });

  test('artifact URIs: forward slashes, relative as given, percent-encoded where a URI needs it', () => {
    assert.equal(artifactUri('ci/jobs.yml'), 'ci/jobs.yml');
    assert.equal(artifactUri('ci dir/100%.gitlab-ci.yml'), 'ci%20dir/100%25.gitlab-ci.yml');
    assert.equal(artifactUri('/abs/path/.gitlab-ci.yml'), 'file:///abs/path/.gitlab-ci.yml');
    const log = sarifOf(reportOfString('my ci/#1/.gitlab-ci.yml', SEED));
    assert.equal(
      log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri,
      'my%20ci/%231/.gitlab-ci.yml',
    );
  });
});

// ---------------------------------------------------------------- fingerprints (SARIF and GitLab)

function fingerprintsOf(path: string, text: string) {
  const report = reportOfString(path, text);
  const sarif = JSON.parse(renderSarif(report)).runs[0].results.map((r: Json) => ({
    line: r.locations[0].physicalLocation.region.startLine as number,
    fp: r.partialFingerprints[FINGERPRINT_KEY] as string,
  }));
  const gitlab = (JSON.parse(renderGitlab(report)) as CodeQualityIssue[]).map((i) => i.fingerprint);
  assert.deepEqual(
    gitlab,
    sarif.map((s: { fp: string }) => s.fp),
    'GitLab and SARIF share one fingerprint',
  );
  return sarif as { line: number; fp: string }[];
}

describe('fingerprints', () => {
  test('survive a blank line and a comment added above the finding; change with the command', () => {
    const [before] = fingerprintsOf(SEED_PATH, SEED);
    const shifted = SEED.replace('build:flit:\n', '\n# a comment\nbuild:flit:\n');
    const [after] = fingerprintsOf(SEED_PATH, shifted);
    assert.equal(before!.line, 7);
    assert.equal(after!.line, 9);
    assert.equal(after!.fp, before!.fp);
    const reindented = SEED.replace('  - FLIT_ROOT_INSTALL', '  -   FLIT_ROOT_INSTALL');
    assert.equal(
      fingerprintsOf(SEED_PATH, reindented)[0]!.fp,
      before!.fp,
      'blanks around the text do not count',
    );

    const changed = SEED.replace(SEED_COMMAND, 'FLIT_ROOT_INSTALL=1 flit install --deps production');
    assert.notEqual(fingerprintsOf(SEED_PATH, changed)[0]!.fp, before!.fp);
    assert.notEqual(fingerprintsOf('other/.gitlab-ci.yml', SEED)[0]!.fp, before!.fp, 'the path counts');
  });

  test('identical lines in one file get distinct fingerprints that also survive edits above', () => {
    const text = `image: debian:bookworm\na:\n  script:\n    - pip install requests\nb:\n  script:\n    - pip install requests\n`;
    const fps = fingerprintsOf('.gitlab-ci.yml', text);
    assert.equal(fps.length, 2);
    assert.notEqual(fps[0]!.fp, fps[1]!.fp);
    const edited = fingerprintsOf('.gitlab-ci.yml', `# header\n\n${text}`);
    assert.deepEqual(
      edited.map((f) => f.fp),
      fps.map((f) => f.fp),
    );
  });

  test('are unique across every finding of the rule cases', () => {
    const report = reportOf(realInputs());
    const fps = (JSON.parse(renderGitlab(report)) as CodeQualityIssue[]).map((i) => i.fingerprint);
    assert.ok(fps.length > 20);
    assert.equal(new Set(fps).size, fps.length);
  });
});

// ---------------------------------------------------------------- GitHub workflow commands

/** What the runner does to a command's data or property value. */
function unescapeRunner(s: string, property: boolean): string {
  let out = s.replace(/%0D/g, '\r').replace(/%0A/g, '\n');
  if (property) out = out.replace(/%3A/g, ':').replace(/%2C/g, ',');
  return out.replace(/%25/g, '%');
}

function parseCommand(line: string) {
  const m = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
  assert.ok(m, `a workflow command: ${line}`);
  const props = new Map<string, string>();
  for (const p of (m[2] ?? '').split(',').filter(Boolean)) {
    const eq = p.indexOf('=');
    props.set(p.slice(0, eq), unescapeRunner(p.slice(eq + 1), true));
  }
  return { kind: m[1]!, props, message: unescapeRunner(m[3]!, false) };
}

const pipJob = (name: string, image: string | null, lines: number) =>
  `${image ? `image: ${image}\n` : ''}${name}:\n  script:\n    - apt-get update && apt-get install -y python3-pip\n${Array.from(
    { length: lines },
    (_, i) => `    - pip install package-${i + 1}\n`,
  ).join('')}`;

const runnerSteps = (n: number) =>
  `on: [push]\njobs:\n  docs:\n    runs-on: ubuntu-latest\n    steps:\n${Array.from(
    { length: n },
    (_, i) => `      - run: pip install tool-${i + 1}\n`,
  ).join('')}`;

describe('github', () => {
  test('the seed fixture: one ::error with file, line, col, endLine, endColumn (exclusive) and title', () => {
    const out = renderGithub(reportOfString(SEED_PATH, SEED));
    const lines = out.trimEnd().split('\n');
    assert.equal(lines.length, 1);
    assert.ok(
      lines[0]!.startsWith(
        `::error file=${SEED_PATH},line=7,col=5,endLine=7,endColumn=${5 + SEED_COMMAND.length},title=ci-lint%3A indirect-pip-system-python::job "build:flit" runs flit install`,
      ),
      lines[0],
    );
    const { message } = parseCommand(lines[0]!);
    assert.match(
      message,
      /\ndocs: https:\/\/github\.com\/ci-lint\/ci-lint\/blob\/main\/rules\/indirect-pip-system-python\/README\.md$/,
    );
  });

  test('escaping: data escapes %, CR and LF; properties also : and ,', () => {
    assert.equal(escapeData('100% done: a,b\r\nnext'), '100%25 done: a,b%0D%0Anext');
    assert.equal(escapeProperty('100% done: a,b\r\nnext'), '100%25 done%3A a%2Cb%0D%0Anext');
    assert.equal(escapeProperty('%3A'), '%253A', 'an escape sequence in the input survives a round trip');

    // a real finding in a path with `,` and `:` and a job name with `%`
    const path = 'ci,dir:x/.gitlab-ci.yml';
    const text = `image: debian:bookworm\n"deploy 100%":\n  script:\n    - apt-get install -y python3-pip\n    - pip install requests\n`;
    const line = renderGithub(reportOfString(path, text)).trimEnd();
    assert.ok(
      line.startsWith('::error file=ci%2Cdir%3Ax/.gitlab-ci.yml,line=5,col=7,endLine=5,endColumn=27,'),
      line,
    );
    assert.match(line, /::job "deploy 100%25" runs pip install/);
    assert.match(line, /%0Adocs: /);
    assert.doesNotMatch(line, /\n/);
    const cmd = parseCommand(line);
    assert.equal(cmd.props.get('file'), path);
    assert.equal(cmd.props.get('title'), 'ci-lint: pip-install-system-python');
    assert.match(cmd.message, /^job "deploy 100%" runs pip install/);
  });

  test('a command over several lines gets line and endLine but no columns', () => {
    const text = `image: debian:bookworm\njob:\n  script:\n    - |\n      pip install \\\n        requests\n`;
    const cmd = parseCommand(renderGithub(reportOfString('.gitlab-ci.yml', text)).trimEnd());
    assert.deepEqual([...cmd.props.keys()], ['file', 'line', 'endLine', 'title']);
    assert.equal(cmd.props.get('line'), '5');
    assert.equal(cmd.props.get('endLine'), '6');
  });

  test('15 failing pip lines: 10 annotated, then a notice counting the rest, which follow in the log', () => {
    const report = reportOf([['.gitlab-ci.yml', pipJob('build', 'debian:bookworm', 15)]]);
    assert.equal(report.findings.length, 15);
    const lines = renderGithub(report).trimEnd().split('\n');
    const errors = lines.filter((l) => l.startsWith('::error '));
    assert.equal(errors.length, ANNOTATIONS_PER_KIND);
    assert.deepEqual(
      errors.map((l) => parseCommand(l).props.get('line')),
      Array.from({ length: 10 }, (_, i) => String(i + 5)),
    );
    const notices = lines.filter((l) => l.startsWith('::notice'));
    assert.equal(notices.length, 1);
    assert.match(
      parseCommand(notices[0]!).message,
      /^5 more not annotated \(5 errors\): GitHub shows at most 10 errors/,
    );
    const group = lines.slice(
      lines.indexOf('::group::ci-lint: 5 more not annotated') + 1,
      lines.indexOf('::endgroup::'),
    );
    assert.equal(group.length, 5);
    for (const [i, l] of group.entries())
      assert.match(
        l,
        new RegExp(`^- \\.gitlab-ci\\.yml:${15 + i}:7: error: .*\\[pip-install-system-python\\]$`),
      );
  });

  test('caps each kind at 10 and keeps a notice place for the summary', () => {
    const report = reportOf([
      ['.gitlab-ci.yml', pipJob('build', 'debian:bookworm', 15)],
      ['ci/.gitlab-ci.yml', pipJob('test', null, 12)],
      ['.github/workflows/docs.yml', runnerSteps(11)],
      ['broken/.gitlab-ci.yml', 'job:\n  script: [\n'],
    ]);
    const count = (s: string) => report.findings.filter((f) => f.severity === s).length;
    assert.deepEqual([count('error'), count('warning'), count('info')], [15, 12, 11]);
    const lines = renderGithub(report).trimEnd().split('\n');
    const kinds = lines.filter(
      (l) => l.startsWith('::') && !l.startsWith('::group') && !l.startsWith('::endgroup'),
    );
    const of = (k: string) => kinds.filter((l) => l.startsWith(`::${k}`));
    assert.equal(of('error').length, 10);
    assert.equal(of('warning').length, 10);
    assert.equal(of('notice').length, 10, '9 findings and the summary');
    // the input error comes first and takes one of the 10 error places: 16 errors in all
    assert.match(of('error')[0]!, /^::error file=broken\/\.gitlab-ci\.yml,line=\d+,col=\d+,title=ci-lint::/);
    const summary = parseCommand(of('notice').at(-1)!);
    assert.match(summary.message, /^10 more not annotated \(6 errors, 2 warnings, 2 notes\)/);
    const listed = lines.slice(
      lines.findIndex((l) => l.startsWith('::group::')) + 1,
      lines.indexOf('::endgroup::'),
    );
    assert.equal(listed.length, 10);
    assert.equal(
      kinds.length + listed.length - 1,
      report.findings.length + report.diagnostics.length,
      'nothing dropped',
    );
  });

  test('a clean run prints nothing', () => {
    assert.equal(renderGithub(reportOfString(SEED_PATH, SEED.replace('debian:bookworm', 'python:3.12'))), '');
  });
});

// ---------------------------------------------------------------- GitLab Code Quality

describe('gitlab', () => {
  test('the seed fixture: exactly the documented fields', () => {
    const issues = JSON.parse(renderGitlab(reportOfString(SEED_PATH, SEED))) as CodeQualityIssue[];
    assert.equal(issues.length, 1);
    const [issue] = issues;
    assert.deepEqual(Object.keys(issue!).sort(), [
      'check_name',
      'description',
      'fingerprint',
      'location',
      'severity',
    ]);
    assert.equal(issue!.check_name, 'indirect-pip-system-python');
    assert.equal(issue!.severity, 'critical');
    assert.match(issue!.description, /job "build:flit" runs flit install/);
    assert.deepEqual(issue!.location, { path: SEED_PATH, lines: { begin: 7 } });
    assert.match(issue!.fingerprint, /^[0-9a-f]{64}$/);
  });

  test('severities: error → critical, warning → minor, info → info; input errors → blocker', () => {
    const report = reportOf([
      ['.gitlab-ci.yml', pipJob('build', 'debian:bookworm', 1)],
      ['ci/.gitlab-ci.yml', pipJob('test', null, 1)],
      ['.github/workflows/docs.yml', runnerSteps(1)],
      ['broken/.gitlab-ci.yml', 'job:\n  script: [\n'],
    ]);
    const issues = JSON.parse(renderGitlab(report)) as CodeQualityIssue[];
    assert.deepEqual(
      issues.map((i) => [i.location.path, i.severity, i.check_name]),
      [
        ['.gitlab-ci.yml', 'critical', 'pip-install-system-python'],
        ['ci/.gitlab-ci.yml', 'minor', 'pip-install-system-python'],
        ['.github/workflows/docs.yml', 'info', 'relies-on-runner-pip-override'],
        ['broken/.gitlab-ci.yml', 'blocker', INPUT_ERROR_CHECK],
      ],
    );
    for (const i of issues)
      assert.ok(Number.isInteger(i.location.lines.begin) && i.location.lines.begin >= 1);
  });

  test('a clean run is an empty array', () => {
    assert.deepEqual(
      JSON.parse(renderGitlab(reportOfString(SEED_PATH, SEED.replace('debian:bookworm', 'python:3.12')))),
      [],
    );
  });
});

// ---------------------------------------------------------------- Markdown summary

/** Cells of a table row, split at the `|` that are not escaped. */
function cells(row: string): string[] {
  return row
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((c) => c.trim());
}

describe('markdown summary', () => {
  test('the seed fixture: heading, counts, a linked table row and the fixes', () => {
    const md = renderMarkdownSummary(reportOfString(SEED_PATH, SEED));
    assert.match(md, /^## ci-lint\n/);
    assert.match(md, /Found 1 error, 0 warnings in 1 file\./);
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'));
    assert.deepEqual(cells(rows[0]!), ['Severity', 'Location', 'Rule', 'Message', 'Jobs']);
    const row = cells(rows[1]!);
    assert.equal(row.length, 5);
    assert.deepEqual(row.slice(0, 3), [
      'error',
      `\`${SEED_PATH}:7\``,
      `[indirect-pip-system-python](${docsUrl('indirect-pip-system-python')})`,
    ]);
    assert.match(row[3]!, /^job "build:flit" runs flit install on debian:bookworm/);
    assert.equal(row[4], '`build:flit`');
    assert.match(md, /### Fixes/);
    assert.match(md, /\*\*venv\*\* \(unsafe\): Create a virtual environment/);
    assert.match(md, /\*\*pipx\*\* \(suggestion\): Install the project with pipx/);
    assert.match(md, /\*\*override\*\* \(safe\): Set PIP\\_BREAK\\_SYSTEM\\_PACKAGES=1/);
  });

  test('a | in a message (here from a job name) is escaped and does not split the cell', () => {
    const text = `image: debian:bookworm\n"build|flit":\n  script:\n    - apt-get install -y python3-pip\n    - pip install requests\n`;
    const report = reportOfString('.gitlab-ci.yml', text);
    assert.match(report.findings[0]!.message, /job "build\|flit"/);
    const md = renderMarkdownSummary(report);
    const row = md.split('\n').find((l) => l.startsWith('| error'))!;
    assert.match(row, /job "build\\\|flit" runs pip install/);
    const c = cells(row);
    assert.equal(c.length, 5);
    assert.equal(c[4], '`build\\|flit`');
  });

  test('a clean run says so; input errors are listed', () => {
    const clean = renderMarkdownSummary(
      reportOfString(SEED_PATH, SEED.replace('debian:bookworm', 'python:3.12')),
    );
    assert.equal(clean, '## ci-lint\n\n✅ No problems found in 1 file.\n');
    const broken = renderMarkdownSummary(reportOf([['.gitlab-ci.yml', 'job:\n  script: [\n']]));
    assert.match(broken, /❌ 1 input error \(below\); no findings in 1 file\./);
    assert.match(broken, /### Input errors\n\n- `\.gitlab-ci\.yml:\d+:\d+` /);
  });
});
