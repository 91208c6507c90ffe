/**
 * The playground page: the text box and the options become a run of the CLI's own engine entry
 * (`checkDocument` = `ci-lint --stdin-filename NAME --diff`, `inspectDocument` = `ci-lint inspect`),
 * here in the browser; the state lives in the URL hash so a case can be shared as a link.
 */

// the README's example, bundled as text
import EXAMPLE from '../fixtures/debian-flit/.gitlab-ci.yml';
import { checkDocument, inspectDocument } from '../src/engine/document.ts';
import { renderDiff, renderFindings, renderJobs } from './render.ts';
import { decodeState, encodeState, type PlaygroundState } from './share.ts';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const input = $<HTMLTextAreaElement>('input');
const name = $<HTMLInputElement>('name');
const dialect = $<HTMLSelectElement>('dialect');
const strategy = $<HTMLSelectElement>('strategy');
const minimum = $<HTMLSelectElement>('minimum');
const status = $('status');

function readState(): PlaygroundState {
  return {
    text: input.value,
    name: name.value.trim() || '.gitlab-ci.yml',
    dialect: dialect.value as PlaygroundState['dialect'],
    strategy: strategy.value as PlaygroundState['strategy'],
    minimum: minimum.value as PlaygroundState['minimum'],
  };
}

function showState(s: PlaygroundState): void {
  input.value = s.text;
  name.value = s.name;
  dialect.value = s.dialect;
  strategy.value = s.strategy;
  minimum.value = s.minimum;
}

function run(): void {
  const s = readState();
  history.replaceState(null, '', encodeState(s));
  // the browser has no files: the config search and includes find nothing, as in an empty folder
  const doc = {
    path: s.name.replace(/^\/+/, ''),
    text: s.text,
    cwd: '/',
    flags: { fixStrategy: s.strategy, ...(s.dialect ? { dialect: s.dialect } : {}) },
  };
  const started = performance.now();
  try {
    const { result } = checkDocument(doc, { minimum: s.minimum });
    const seen = result.files[0]?.dialect;
    $('dialect-seen').textContent = seen ? `dialect: ${seen}` : 'not recognised as a CI file';
    renderFindings($('findings'), doc.path, s.text, result.findings, result.diagnostics, result.sources);
    renderJobs($('jobs'), inspectDocument(doc));
    renderDiff($('diff'), result.diffs);
    const n = result.findings.length;
    status.textContent = `${n} finding${n === 1 ? '' : 's'} · ${Math.round(performance.now() - started)} ms`;
    document.body.dataset.state = 'done';
  } catch (e) {
    status.textContent = `internal error (please report it): ${e instanceof Error ? e.message : String(e)}`;
    document.body.dataset.state = 'error';
  }
}

let timer: ReturnType<typeof setTimeout> | undefined;
function later(): void {
  document.body.dataset.state = 'pending';
  clearTimeout(timer);
  timer = setTimeout(run, 150);
}

input.addEventListener('input', later);
name.addEventListener('input', later);
for (const select of [dialect, strategy, minimum]) select.addEventListener('change', run);
$<HTMLInputElement>('file').addEventListener('change', async (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (!file) return;
  input.value = await file.text();
  name.value = file.name;
  run();
});
window.addEventListener('hashchange', () => {
  const s = decodeState(location.hash);
  if (s && location.hash !== encodeState(readState())) {
    showState(s);
    run();
  }
});

showState(decodeState(location.hash) ?? { ...readState(), text: EXAMPLE });
run();
