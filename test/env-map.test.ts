/** The persistent environment map: every snapshot keeps answering as a copied Map would. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { EnvMap } from '../src/engine/env-map.ts';

test('set and delete leave every earlier snapshot as it was (random operations, Map as oracle)', () => {
  const name = fc.constantFrom('PATH', 'HOME', 'A', 'B', 'V1', 'V2', 'x', '', 'PIP_BREAK_SYSTEM_PACKAGES');
  const op = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), key: fc.oneof(name, fc.string()), value: fc.integer() }),
    fc.record({ kind: fc.constant('delete' as const), key: fc.oneof(name, fc.string()) }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
      const snapshots: [EnvMap<number>, Map<string, number>][] = [[EnvMap.empty(), new Map()]];
      for (const o of ops) {
        const [env, oracle] = snapshots[snapshots.length - 1]!;
        const copy = new Map(oracle);
        if (o.kind === 'set') copy.set(o.key, o.value);
        else copy.delete(o.key);
        snapshots.push([o.kind === 'set' ? env.set(o.key, o.value) : env.delete(o.key), copy]);
      }
      const keys = new Set(ops.map((o) => o.key));
      for (const [env, oracle] of snapshots)
        for (const k of keys) {
          assert.equal(env.get(k), oracle.get(k), k);
          assert.equal(env.has(k), oracle.has(k), k);
        }
    }),
    { numRuns: 300 },
  );
});

test('20 000 names are all found, and a deleted name is gone', () => {
  let env = EnvMap.empty<number>();
  for (let i = 0; i < 20_000; i++) env = env.set(`V${i}`, i);
  for (let i = 0; i < 20_000; i++) assert.equal(env.get(`V${i}`), i);
  assert.equal(env.get('V20000'), undefined);
  assert.equal(
    EnvMap.of([['a', 1]])
      .delete('a')
      .has('a'),
    false,
  );
});
