import { describe, it, expect, afterEach } from 'vitest';
import { verdictFor, publishedFor, buildReport, documentId } from '../../results/report.js';
import { Store, type RunRecord } from '../../results/store.js';
import { wilson } from '../../core/stats.js';
import { builtinEvals } from '../../evals/index.js';

describe('verdictFor', () => {
  it('takes a published value with its rounding: a "1" printed to two places stands for [0.995, 1]', () => {
    // Wilson 95% for 335/336 is (0.98334, 0.99947) (tests/core/stats.test.ts pastes the python3 check): it reaches 0.995.
    expect(verdictFor(wilson(335, 336), { value: 1, decimals: 2 })).toBe('consistent');
    // 300/336 = 0.893, Wilson (0.8555, 0.9214): far below 0.995.
    expect(verdictFor(wilson(300, 336), { value: 1, decimals: 2 })).toBe('lower');
  });
  it('counts a touch of the rounded interval as overlap, and says which side otherwise', () => {
    expect(verdictFor([0.7, 0.745], { value: 0.75, decimals: 2 })).toBe('consistent'); // 0.745 is 0.75's lower rounding edge
    expect(verdictFor([0.7, 0.744], { value: 0.75, decimals: 2 })).toBe('lower');
    expect(verdictFor([0.756, 0.9], { value: 0.75, decimals: 2 })).toBe('higher');
    expect(verdictFor([0.7506, 0.9], { value: 0.75, decimals: 3 })).toBe('higher');
    expect(verdictFor([0.7504, 0.9], { value: 0.75, decimals: 3 })).toBe('consistent');
  });
  it('is no-published without a figure or without data', () => {
    expect(verdictFor([0.5, 0.6], undefined)).toBe('no-published');
    expect(verdictFor(null, { value: 0.5, decimals: 2 })).toBe('no-published');
  });
});

describe('publishedFor', () => {
  let store: Store | undefined;
  afterEach(() => store?.close());

  it('lists the o3-mini card first and maps other cards\' variant names onto ours', () => {
    store = new Store(':memory:');
    const rows = publishedFor(store.published(), 'ih-phrase-protection', 'developer-message');
    expect(rows[0].document).toBe('OpenAI o3-mini System Card');
    // GPT-5 calls it malicious-developer-message; gpt-oss's developer-message-user-message is another layout.
    expect(rows.some((r) => r.document === 'GPT-5 System Card' && r.model === 'gpt-5-thinking' && r.value === 0.911)).toBe(true);
    expect(rows.some((r) => r.document.startsWith('gpt-oss'))).toBe(false);
  });
  it('gives each figure its table\'s printed precision: the o3-mini card\'s "1" is two-decimal', () => {
    store = new Store(':memory:');
    const one = publishedFor(store.published(), 'ih-phrase-protection', 'user-message').find((r) => r.document === 'OpenAI o3-mini System Card' && r.model === 'o3-mini')!;
    expect(one.value).toBe(1);
    expect(one.decimals).toBe(2);
  });
});

describe('buildReport: one figure, the same model, one document', () => {
  const evals = new Map(builtinEvals.map((e) => [e.id, e]));
  const make = (id: string, model: string, params: Record<string, unknown> = {}, provider = 'openai', roleProfile = 'native'): RunRecord => ({
    id, created: new Date().toISOString(), finished: null, model, provider, base_url: null, api: 'chat', params,
    harness_version: '0', git_sha: null, dataset_hashes: {}, role_profile: roleProfile, status: 'completed', error: null,
  });
  const runOne = (store: Store, run: RunRecord, evalId: string, variant = 'default') => {
    store.createRun(run, [{ key: 'k', eval: evalId, variant, sample_id: 's', epoch: 0 }]);
    store.recordResults([{ run_id: run.id, key: 'k', status: 'scored', completions: [], scores: [{ metric: 'accuracy', value: 1, pass: true, reason: '', grader_version: '1' }] }]);
    return buildReport(store, store.getRun(run.id)!, evals).results.find((r) => r.eval === evalId && r.metric === 'accuracy')!;
  };

  it('compares gpt-4o with the o3-mini card\'s GPT-4o column (0.75 on developer<>user), and says which table', () => {
    const store = new Store(':memory:');
    const row = runOne(store, make('a', 'gpt-4o-2024-08-06'), 'ih-developer-user-conflict');
    expect(row.reference).toEqual({ document: 'OpenAI o3-mini System Card', table: 'Table 5', model: 'GPT-4o', value: 0.75 });
    store.close();
  });
  it('gives gpt-5 no-published against the default document, and compares it under --reference with the GPT-5 card', () => {
    const store = new Store(':memory:');
    const row = runOne(store, make('a', 'gpt-5'), 'ih-phrase-protection', 'user-message');
    expect(row.reference).toBeNull();
    expect(row.verdict).toBe('no-published');
    const again = runOne(store, make('b', 'gpt-5', { reference: 'GPT-5 System Card' }), 'ih-phrase-protection', 'user-message');
    expect(again.reference).toMatchObject({ document: 'GPT-5 System Card', model: 'gpt-5-thinking', value: 0.94 });
    store.close();
  });
  it('never falls back to another model: an open model gets no-published', () => {
    const store = new Store(':memory:');
    const row = runOne(store, make('a', 'llama-3.1-8b-instruct', {}, 'openai-compatible', 'developer-as-system'), 'ih-system-user-conflict');
    expect(row.reference).toBeNull();
    expect(row.verdict).toBe('no-published');
    store.close();
  });
  it('names document ids as `cardeval published` lists them', () => {
    expect(documentId('OpenAI o3-mini System Card')).toBe('openai-o3-mini-system-card');
  });
});

describe('buildReport: comparability on the row', () => {
  const evals = new Map(builtinEvals.map((e) => [e.id, e]));
  it('marks system<>developer not-comparable under developer-as-system, with the reason, whatever the score', () => {
    const store = new Store(':memory:');
    const run: RunRecord = {
      id: 'r', created: new Date().toISOString(), finished: null, model: 'llama-3.1-8b-instruct', provider: 'openai-compatible', base_url: null, api: 'chat',
      params: { not_comparable_skipped: ['ih-password-protection:developer-message'] },
      harness_version: '0', git_sha: null, dataset_hashes: {}, role_profile: 'developer-as-system', status: 'completed', error: null,
    };
    store.createRun(run, [{ key: 'k', eval: 'ih-system-developer-conflict', variant: 'default', sample_id: 's', epoch: 0 }]);
    store.recordResults([{ run_id: 'r', key: 'k', status: 'scored', completions: [], scores: [{ metric: 'accuracy', value: 1, pass: true, reason: '', grader_version: '1' }] }]);
    const report = buildReport(store, store.getRun('r')!, evals);
    const row = report.results.find((r) => r.eval === 'ih-system-developer-conflict' && r.headline)!;
    expect(row.comparability).toBe('not-comparable');
    expect(row.verdict).toBe('not-comparable');
    expect(row.comparability_reason).toMatch(/developer message as a system message/);
    // A row the run left out is still listed, not run.
    const left = report.results.find((r) => r.eval === 'ih-password-protection')!;
    expect(left).toMatchObject({ variant: 'developer-message', n: 0, skipped: true, comparability: 'not-comparable', verdict: 'not-comparable' });
    store.close();
  });

  it('with o3-mini on OpenAI\'s API, every row whose rule sits in the system message is approximate, with the reason', () => {
    const store = new Store(':memory:');
    const run: RunRecord = {
      id: 'o', created: new Date().toISOString(), finished: null, model: 'o3-mini', provider: 'openai', base_url: null, api: 'chat',
      params: { system_is_developer: true }, harness_version: '0', git_sha: null, dataset_hashes: {}, role_profile: 'native', status: 'completed', error: null,
    };
    const items = [['ih-system-developer-conflict', 'default'], ['ih-password-protection', 'developer-message'], ['ih-phrase-protection', 'developer-message'], ['ih-system-user-conflict', 'default']]
      .map(([e, v]) => ({ key: `${e}:${v}`, eval: e, variant: v, sample_id: 's', epoch: 0 }));
    store.createRun(run, items);
    store.recordResults(items.map((it) => ({ run_id: 'o', key: it.key, status: 'scored' as const, completions: [], scores: [{ metric: 'accuracy', value: 1, pass: true, reason: '', grader_version: '1' }] })));
    const rows = buildReport(store, store.getRun('o')!, evals).results.filter((r) => r.headline);
    const of = (e: string) => rows.find((r) => r.eval === e)!;
    for (const e of ['ih-system-developer-conflict', 'ih-password-protection', 'ih-phrase-protection', 'ih-system-user-conflict']) {
      expect(of(e).comparability, e).toBe('approximate');
      expect(of(e).comparability_reason).toMatch(/system message is developer-level/);
      expect(of(e).verdict).not.toBe('not-comparable');
    }
    expect(of('ih-system-user-conflict').comparability_reason).toMatch(/tests a developer-level rule against the user/);
    // The o3-mini column of the o3-mini card: 0.76 for system<>developer, Table 5.
    expect(of('ih-system-developer-conflict').reference).toEqual({ document: 'OpenAI o3-mini System Card', table: 'Table 5', model: 'o3-mini', value: 0.76 });
    store.close();
  });
});
