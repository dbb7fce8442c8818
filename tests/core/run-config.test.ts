// The typed run configuration: defaults filled in when made, old stored configs still read, a broken one named with its run.
import { describe, it, expect } from 'vitest';
import { makeRunConfig, readRunConfig, MAX_TIMEOUT_S } from '../../core/run-config.js';
import { ConfigError } from '../../core/errors.js';

describe('RunConfig', () => {
  it('fills the documented defaults', () => {
    // No concurrency: adaptive, up to max_concurrency; a run stores which mode it used, so resume keeps it.
    expect(makeRunConfig({}).concurrency).toBeUndefined();
    expect(makeRunConfig({})).toMatchObject({ evals: [], epochs: 1, seed: 1, max_concurrency: 256, timeout_s: 120, max_retries: 4, api: 'chat', cache: 'on', batch: false, mock: false });
  });

  it('caps the timeout at what setTimeout can wait: 2,147,483 s', () => {
    expect(MAX_TIMEOUT_S).toBe(2_147_483);
    expect(makeRunConfig({ timeout_s: 2_147_483 }).timeout_s).toBe(2_147_483);
    expect(() => makeRunConfig({ timeout_s: 2_147_484 })).toThrow(/timeout_s/);
  });

  it('reads a config stored before api, cache and batch were recorded', () => {
    const stored = { evals: ['x'], epochs: 1, seed: 7, concurrency: 4, timeout_s: 10, max_retries: 0, eval_modules: [], mock: true };
    expect(readRunConfig('run-1', stored)).toMatchObject({ ...stored, api: 'chat', cache: 'on', batch: false });
  });

  it('names the run and the field of a stored config that no longer validates', () => {
    const read = () => readRunConfig('run-7', { evals: [], timeout_s: 'soon', shard: { index: 3, count: 2 } });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/^run run-7: its stored configuration is not valid: timeout_s: .*; shard: shard index must be at most the shard count$/);
  });
});
