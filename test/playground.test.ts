/**
 * The playground end to end in headless Chromium (Debian's `chromium`, driven by playwright-core):
 * built here from the sources, served from localhost, used as a person would — the example, a
 * strategy picked, a workflow pasted, a file loaded, a shared link opened — and compared with what
 * the same engine entry says in Node. A screenshot is left in test-output/playground.png.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { checkDocument } from '../src/engine/document.ts';
import { RUNNER_PIP_WORKFLOW } from './helpers/samples.ts';

const root = new URL('..', import.meta.url).pathname;
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = join(root, 'test-output/playground.png');
const skip = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is not installed (apt-get install chromium; .ci/run installs it in CI)`;

const FLIT = readFileSync(join(root, 'fixtures/debian-flit/.gitlab-ci.yml'), 'utf8');
const ACTION = `name: setup
runs:
  using: composite
  steps:
    - shell: bash
      run: |
        apt-get update && apt-get install -y python3-pip
        pip install build
`;

/** What the CLI's engine entry says in Node for the same input, as the playground names it. */
function expectedDiff(text: string, name: string, strategy: 'venv' | 'override', minimum: 'safe' | 'unsafe') {
  const { result } = checkDocument(
    { path: name, text, cwd: '/', flags: { fixStrategy: strategy } },
    { minimum },
  );
  return result.diffs.join('');
}

describe('playground in headless Chromium', { skip }, () => {
  let outdir: string;
  let server: Server;
  let browser: Browser;
  let base: string;
  const problems: string[] = [];

  before(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'ci-lint-playground-'));
    const built = spawnSync(process.execPath, ['scripts/build-playground.mjs', outdir], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(built.status, 0, built.stderr);
    const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };
    server = createServer((req, res) => {
      const file = join(outdir, req.url === '/' ? 'index.html' : (req.url ?? '').replace(/[?#].*$/, ''));
      if (!file.startsWith(outdir) || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  async function openPage(url: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    // requests anywhere but the local server would mean the page is not self-contained
    page.on('request', (r) => {
      if (!r.url().startsWith(base)) problems.push(`request to ${r.url()}`);
    });
    await page.goto(url);
    await settled(page);
    return page;
  }

  /** The run after the last input has finished (input is debounced; selects run at once). */
  const settled = (page: Page) => page.waitForSelector('body[data-state="done"]', { timeout: 10_000 });
  // the text as rendered (one line per block), which is what a person reads and copies
  // biome-ignore lint/performance/useDomNodeTextContent: playwright's locator, not a DOM node
  const text = (page: Page, selector: string) => page.locator(selector).innerText();

  it('shows the example: the finding in place, the Python per job, the fix as a diff', async () => {
    const page = await openPage(base);
    assert.equal(await page.inputValue('#input'), FLIT);
    const findings = await text(page, '#findings');
    assert.match(findings, /indirect-pip-system-python/);
    assert.equal(await text(page, '#findings mark.error'), 'FLIT_ROOT_INSTALL=1 flit install');
    assert.match(await text(page, '#dialect-seen'), /dialect: gitlab$/);
    const job = await text(page, '#jobs tr[data-job="build:flit"]');
    assert.match(job, /debian:bookworm/);
    assert.match(job, /yes/);
    assert.match(job, /flit install → system Python, not overridden/);
    // the default remedy is venv, and unsafe fixes are shown: the same diff as --unsafe-fixes --diff
    assert.equal(`${await text(page, '#diff')}\n`, expectedDiff(FLIT, '.gitlab-ci.yml', 'venv', 'unsafe'));
    mkdirSync(join(root, 'test-output'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    assert.ok(readFileSync(SCREENSHOT).length > 10_000);
    await page.close();
  });

  it('picks a fix strategy and an applicability', async () => {
    const page = await openPage(base);
    await page.selectOption('#strategy', 'override');
    await page.selectOption('#minimum', 'safe');
    await settled(page);
    const diff = await text(page, '#diff');
    assert.match(diff, /\+ {2}- PIP_BREAK_SYSTEM_PACKAGES=1 FLIT_ROOT_INSTALL=1 flit install/);
    assert.equal(`${diff}\n`, expectedDiff(FLIT, '.gitlab-ci.yml', 'override', 'safe'));
    await page.selectOption('#strategy', 'venv');
    await settled(page);
    assert.match(await text(page, '#diff'), /Nothing to fix/, 'venv is unsafe: nothing with safe fixes only');
    await page.close();
  });

  it('detects the dialect of a pasted workflow, and a loaded file takes its name', async () => {
    const page = await openPage(base);
    await page.fill('#name', 'pasted.yml');
    await page.fill('#input', RUNNER_PIP_WORKFLOW);
    await settled(page);
    assert.match(await text(page, '#dialect-seen'), /dialect: github-workflow$/);
    assert.match(await text(page, '#findings'), /relies-on-runner-pip-override/);
    assert.match(await text(page, '#jobs'), /ubuntu-24\.04/);
    // a forced dialect wins over detection (`--dialect`): read as GitLab, `on:` and `jobs:` are no jobs
    await page.selectOption('#dialect', 'gitlab');
    await settled(page);
    assert.match(await text(page, '#dialect-seen'), /dialect: gitlab$/);
    assert.doesNotMatch(await text(page, '#findings'), /relies-on-runner-pip-override/);
    await page.selectOption('#dialect', '');

    await page.setInputFiles('#file', {
      name: 'action.yml',
      mimeType: 'text/yaml',
      buffer: Buffer.from(ACTION),
    });
    await page.waitForFunction(
      () => document.querySelector<HTMLInputElement>('#name')?.value === 'action.yml',
    );
    await settled(page);
    assert.match(await text(page, '#dialect-seen'), /dialect: github-action$/);
    assert.equal(await page.inputValue('#input'), ACTION);
    await page.close();
  });

  it('carries the input in the URL hash: the link opens the same case', async () => {
    const page = await openPage(base);
    await page.fill('#name', 'ci.yml');
    await page.selectOption('#dialect', 'github-workflow');
    await page.selectOption('#strategy', 'override');
    await page.fill('#input', RUNNER_PIP_WORKFLOW);
    await settled(page);
    const link = page.url();
    assert.match(link, /#v1\./);
    const findings = await text(page, '#findings');
    await page.close();

    const shared = await openPage(link);
    assert.equal(await shared.inputValue('#input'), RUNNER_PIP_WORKFLOW);
    assert.equal(await shared.inputValue('#name'), 'ci.yml');
    assert.equal(await shared.inputValue('#dialect'), 'github-workflow');
    assert.equal(await shared.inputValue('#strategy'), 'override');
    assert.equal(await text(shared, '#findings'), findings);
    await shared.close();
  });

  it('bad input is reported in place, never a crash', async () => {
    const page = await openPage(`${base}#v1.not-base64!`);
    assert.equal(await page.inputValue('#input'), FLIT, 'a damaged link falls back to the example');
    await page.fill('#input', 'build:\n  script: [unclosed\n');
    await settled(page);
    assert.match(await text(page, '#findings'), /error: /);
    assert.match(await text(page, '#dialect-seen'), /not recognised/);
    await page.close();
  });

  it('made no request elsewhere and logged no error', () => {
    assert.deepEqual(problems, []);
  });
});
