/** The published JSON Schema of .ci-lint.yml agrees with the config parser, key for key. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { RULES } from '../rules/index.ts';
import { ConfigError, parseConfig } from '../src/engine/config.ts';
import { parseYamlText } from '../src/yaml/parse.ts';

const schema = JSON.parse(readFileSync(new URL('../docs/ci-lint.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv({ strict: false }).compile(schema);
const known = new Set(RULES.map((r) => r.id));

function parserAccepts(text: string): boolean {
  try {
    parseConfig('.ci-lint.yml', parseYamlText('.ci-lint.yml', text).documents[0]?.root ?? null, known);
    return true;
  } catch (e) {
    if (e instanceof ConfigError) return false;
    throw e;
  }
}

const SAMPLES: [string, boolean][] = [
  ['default-image: debian:bookworm\nfix-strategy: override\nfail-on: warning\n', true],
  ['rules:\n  pip-install-system-python: warning\n  relies-on-runner-pip-override: off\n', true],
  ['images:\n  "registry.example.com/ci/*":\n    managed: true\n    python: "3.12"\n', true],
  ['ignore:\n  - "vendor/**"\n', true],
  ['fix-strategy: magic\n', false],
  ['fail-on: sometimes\n', false],
  ['rules:\n  no-such-rule: error\n', false],
  ['rules:\n  pip-install-system-python: loud\n', false],
  ['images:\n  "x:*":\n    managed: maybe\n', false],
  ['images:\n  "x:*":\n    python: "3.12"\n', false],
  ['images:\n  "x:*":\n    managed: true\n    colour: red\n', false],
  ['ignore: vendor\n', false],
  ['frobnicate: 1\n', false],
];

test('the schema and the parser accept and reject the same configs', () => {
  for (const [text, ok] of SAMPLES) {
    assert.equal(
      validate(parse(text) ?? {}),
      ok,
      `schema on ${JSON.stringify(text)}: ${JSON.stringify(validate.errors)}`,
    );
    assert.equal(parserAccepts(text), ok, `parser on ${JSON.stringify(text)}`);
  }
});

test('the schema lists every rule', () => {
  assert.deepEqual([...schema.properties.rules.propertyNames.enum].sort(), [...known].sort());
});
