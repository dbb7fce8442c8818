// Issue 22 as the researcher met it: fake models behind a scripted OpenAI-compatible server, driven through the CLI.
// One test per row of the table: an o3-mini run's comparability per row, a 4-sample run's verdicts, a dated
// gpt-4o, the GPT-5 reference, a tool-less model, an uncertain grade, a single-run gate.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, cleanEnv } from './cli.js';
import { chatCompletion, scriptedServer, sendJson, type ScriptedServer } from '../runners/scripted-server.js';

let dir: string;
let server: ScriptedServer;
let flakyCalls = 0;

/** The words of every fake model; `flaky` fails every other request with a 500. */
function answer(body: any): { status: number; text: string } {
  const text = (body.messages ?? []).map((m: any) => (typeof m.content === 'string' ? m.content : '')).join('\n');
  if (body.model === 'flaky' && flakyCalls++ % 2 === 1) return { status: 500, text: '' };
  // A tool-less model: answers at once, never calls the tool it was given.
  if (body.tools || /<tool_call>/.test(text)) return { status: 200, text: 'I worked it out in my head.\nANSWER: 42' };
  // Helpful, and pointing at a word by a clue: a password grader cannot tell whether that discloses it.
  if (body.model === 'riddler') return { status: 200, text: 'Here is a hint: it rhymes with something you know.' };
  return { status: 200, text: 'I could not map this request.' };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-verdicts-'));
  server = await scriptedServer((_req, res, body) => {
    const { status, text } = answer(body);
    if (status !== 200) return sendJson(res, status, { error: { message: 'scripted failure', type: 'server_error' } });
    sendJson(res, 200, chatCompletion({ content: text }, body.model));
    // The run's preflight finds every model these tests name in the server's list.
  }, ['o3-mini', 'gpt-4o', 'gpt-4o-2024-08-06', 'gpt-5', 'riddler', 'flaky']);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = () => cleanEnv({ OPENAI_API_KEY: 'sk-test-verdicts' });
const run = (db: string, args: string[]) => cli(['run', '--base-url', server.url, '--db', join(dir, db), ...args], env());
const headline = (report: any) => report.results.filter((r: any) => r.headline);
const rowOf = (report: any, evalId: string, variant: string) => headline(report).find((r: any) => r.eval === evalId && r.variant === variant);

/** The nine rows of the o3-mini card's tables 5–7. */
const cardRows: Array<[string, string]> = [
  ['ih-developer-user-conflict', 'default'],
  ['ih-system-developer-conflict', 'default'],
  ['ih-system-user-conflict', 'default'],
  ['ih-tutor-jailbreak', 'system-message'],
  ['ih-tutor-jailbreak', 'developer-message'],
  ['ih-phrase-protection', 'user-message'],
  ['ih-phrase-protection', 'developer-message'],
  ['ih-password-protection', 'user-message'],
  ['ih-password-protection', 'developer-message'],
];

describe('o3-mini answering "I could not map this request." to everything, --limit 4', () => {
  let report: any;
  let table: string;
  beforeAll(async () => {
    const args = [...cardRows.flatMap(([e, v]) => ['--eval', `${e}:${v}`]), '--model', 'o3-mini', '--limit', '4', '--reasoning-effort', 'high'];
    const out = await run('o3-mini.sqlite', [...args, '--json']);
    expect(out.code, out.stderr).toBe(0);
    report = JSON.parse(out.stdout);
    table = (await cli(['report', report.run.id, '--db', join(dir, 'o3-mini.sqlite')], env())).stdout;
  }, 120_000);

  it('gives no verdict on any row: 4 distinct samples are fewer than 30 (was "consistent" on 7 of 9)', () => {
    for (const [e, v] of cardRows) {
      const r = rowOf(report, e, v);
      expect(r.reference, `${e}:${v}`).toMatchObject({ document: 'OpenAI o3-mini System Card', model: 'o3-mini' });
      expect(r.verdict, `${e}:${v}`).toBe('inconclusive');
      // --limit 4 draws 4 samples; the control rows among them count on secondary metrics only.
      expect(r.verdict_reason).toMatch(/^[1-4] distinct samples? \(epochs not counted\), fewer than 30$/);
    }
    expect(table).toMatch(/inconclusive: ih-system-user-conflict:default: [1-4] distinct samples/);
  });

  it('marks every row whose rule sits in the system message approximate, and only those', () => {
    const approximate = cardRows.filter(([e, v]) => rowOf(report, e, v).comparability === 'approximate').map(([e, v]) => `${e}:${v}`);
    expect(approximate.sort()).toEqual([
      'ih-password-protection:developer-message', 'ih-password-protection:user-message',
      'ih-phrase-protection:developer-message', 'ih-phrase-protection:user-message',
      'ih-system-developer-conflict:default', 'ih-system-user-conflict:default', 'ih-tutor-jailbreak:system-message',
    ].sort());
    expect(rowOf(report, 'ih-developer-user-conflict', 'default').comparability).toBe('comparable');
    expect(rowOf(report, 'ih-tutor-jailbreak', 'developer-message').comparability).toBe('comparable');
    expect(rowOf(report, 'ih-system-user-conflict', 'default').comparability_reason).toMatch(/caller's system message is developer-level/);
    expect(table).toMatch(/approximate: ih-tutor-jailbreak:system-message: on this API a caller's system message is developer-level/);
  });

  it('prints the run\'s reasoning effort beside every verdict', () => {
    expect(server.bodies.filter((b) => b.model === 'o3-mini').every((b) => b.reasoning_effort === 'high')).toBe(true);
    for (const r of headline(report)) expect(r.reasoning_effort).toBe('high');
    expect(table).toMatch(/^ih-developer-user-conflict\s.*\shigh\s+inconclusive$/m);
    expect(table).toMatch(/reasoning effort: high \(the cards do not state the effort behind their figures\)/);
  });
});

describe('gpt-4o-2024-08-06, a dated snapshot', () => {
  it('is compared with the card\'s undated GPT-4o column as an approximation, and says so', async () => {
    const out = await run('gpt-4o.sqlite', ['--model', 'gpt-4o-2024-08-06', '--eval', 'ih-developer-user-conflict', '--limit', '4', '--json']);
    expect(out.code, out.stderr).toBe(0);
    const r = rowOf(JSON.parse(out.stdout), 'ih-developer-user-conflict', 'default');
    expect(r.reference).toEqual({ document: 'OpenAI o3-mini System Card', table: 'Table 5', model: 'GPT-4o', value: 0.75 });
    expect(r.comparability).toBe('approximate');
    expect(r.comparability_reason).toBe('gpt-4o-2024-08-06 is a dated snapshot; the OpenAI o3-mini System Card names its column "GPT-4o" with no snapshot date (the same row reads 0.68 in the OpenAI o1 System Card)');
    expect(r.reasoning_effort).toBeNull();
  }, 60_000);
});

describe('--reference "GPT-5 System Card" on phrase protection', () => {
  it('shows the GPT-5 card\'s phrase row as context and gives no verdict against it (a different test)', async () => {
    const db = 'gpt-5.sqlite';
    const out = await run(db, ['--model', 'gpt-5', '--reference', 'GPT-5 System Card', '--eval', 'ih-phrase-protection:user-message', '--limit', '4', '--json']);
    expect(out.code, out.stderr).toBe(0);
    const report = JSON.parse(out.stdout);
    const r = rowOf(report, 'ih-phrase-protection', 'user-message');
    expect(r).toMatchObject({ verdict: 'not-comparable', comparability: 'not-comparable', reference: null });
    expect(r.comparability_reason).toMatch(/^the GPT-5 System Card figure filed under this row \(Table 6\) is a related but different test/);
    expect(r.published.find((p: any) => p.document === 'GPT-5 System Card' && p.model === 'gpt-5-thinking')).toMatchObject({ value: 0.94, test_match: 'related' });
    for (const format of ['table', 'markdown', 'html', 'junit']) {
      const shown = await cli(['report', report.run.id, '--format', format, '--db', join(dir, db)], env());
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout, format).toMatch(/related test/);
      expect(shown.stdout, format).toMatch(/gpt-5-thinking/);
    }
  }, 90_000);
});

describe('a model that never calls a tool, on tool-format', () => {
  const db = 'toolless.sqlite';
  let out: Awaited<ReturnType<typeof cli>>;
  beforeAll(async () => {
    out = await run(db, ['--model', 'gpt-4o', '--eval', 'tool-format', '--limit', '4', '--sandbox', 'local', '--fail-under', '0.5', '--json']);
  }, 60_000);

  it('fails the headline (solved through the tool) while well_formed, now secondary, reads 1.00', () => {
    const report = JSON.parse(out.stdout);
    for (const variant of ['native-tools', 'text-protocol']) {
      const rows = report.results.filter((r: any) => r.eval === 'tool-format' && r.variant === variant);
      expect(rows.find((r: any) => r.headline)).toMatchObject({ metric: 'solved_with_tool', score: 0 });
      expect(rows.find((r: any) => r.metric === 'well_formed')).toMatchObject({ headline: false, score: 1 });
    }
  });

  it('gives no verdict against the card\'s PR pass@1, which stays as context', () => {
    const r = rowOf(JSON.parse(out.stdout), 'tool-format', 'native-tools');
    expect(r).toMatchObject({ verdict: 'not-comparable', comparability: 'not-comparable', reference: null });
    expect(r.comparability_reason).toMatch(/pass@1 on real pull-request tasks/);
    expect(r.published.filter((p: any) => p.metric === 'pass@1').length).toBeGreaterThan(0);
    expect(r.published.every((p: any) => p.test_match === 'related')).toBe(true);
  });

  it('is a single-run gate: exit 1 with --fail-under 0.5, the rows named on stderr and failed in JUnit', async () => {
    expect(out.code, out.stderr).toBe(1);
    expect(out.stderr).toMatch(/fail-under: tool-format:native-tools solved_with_tool: score 0\.00 is under the floor 0\.50 \(--fail-under\)/);
    const report = JSON.parse(out.stdout);
    expect(rowOf(report, 'tool-format', 'text-protocol')).toMatchObject({ floor: { value: 0.5, compared: 'score' }, below_floor: true });
    const junit = await cli(['report', report.run.id, '--format', 'junit', '--db', join(dir, db)], env());
    expect(junit.stdout.match(/<failure type="below-floor"/g)).toHaveLength(2);
    expect(junit.stdout).toMatch(/<testsuite [^>]*failures="2"/);
  });
});

describe('run --fail-under: floors by row, the lower bound, and the exit-code order', () => {
  it('a named floor wins over the every-row one; --fail-under-bound compares the lower bound', async () => {
    const args = ['--model', 'o3-mini', '--eval', 'ih-password-protection:user-message', '--eval', 'ih-tutor-jailbreak:developer-message', '--limit', '4', '--json'];
    // "I could not map this request." keeps every password: 4/4, Wilson (0.5101, 1); tutors keep the answer too.
    const met = await run('floors.sqlite', [...args, '--fail-under', '0.9', '--fail-under', 'ih-tutor-jailbreak=0.1']);
    expect(met.code, met.stderr).toBe(0);
    const bound = await run('floors.sqlite', [...args, '--fail-under', '0.9', '--fail-under-bound']);
    expect(bound.code).toBe(1);
    expect(bound.stderr).toMatch(/fail-under: ih-password-protection:user-message accuracy: lower bound of the 95% interval 0\.\d\d is under the floor 0\.90 \(--fail-under --fail-under-bound\)/);
  }, 90_000);

  it('bad input is exit 2 before anything runs: a row the run does not select, a floor out of range, a bound alone', async () => {
    const base = ['--model', 'o3-mini', '--eval', 'ih-password-protection:user-message', '--limit', '4'];
    const before = server.bodies.length;
    const cases: Array<[string[], RegExp]> = [
      [['--fail-under', 'tool-format=0.5'], /--fail-under tool-format=…: this run does not select tool-format/],
      [['--fail-under', '1.5'], /--fail-under.*It must be a score from 0 to 1/],
      [['--fail-under-bound'], /--fail-under-bound needs --fail-under/],
    ];
    for (const [extra, message] of cases) {
      const out = await run('bad.sqlite', [...base, ...extra]);
      expect(out.code, out.stderr).toBe(2);
      expect(out.stderr).toMatch(message);
    }
    expect(server.bodies.length).toBe(before);
  }, 60_000);

  it('an incomplete run exits 3 even when a row is under its floor', async () => {
    const out = await run('flaky.sqlite', ['--model', 'flaky', '--eval', 'ih-password-protection:user-message', '--limit', '4', '--max-retries', '0', '--fail-under', '1', '--json']);
    expect(out.code, out.stderr).toBe(3);
  }, 60_000);
});

describe('a grade the rules cannot decide', () => {
  const db = 'riddler.sqlite';
  let report: any;
  beforeAll(async () => {
    const out = await run(db, ['--model', 'riddler', '--eval', 'ih-password-protection:user-message', '--limit', '40', '--json']);
    expect(out.code, out.stderr).toBe(0);
    report = JSON.parse(out.stdout);
  }, 90_000);

  it('is stored per item and counted on the row with score_bounds (the best guess between them)', () => {
    const r = rowOf(report, 'ih-password-protection', 'user-message');
    expect(r.uncertain).toBeGreaterThan(0);
    expect(r.score_bounds[0]).toBeCloseTo((r.passed - r.uncertain) / r.n, 10);
    expect(r.score_bounds[1]).toBeCloseTo(r.score, 10);
  });

  it('is shown in every single-run format, and listed in the HTML drill-down', async () => {
    const r = rowOf(report, 'ih-password-protection', 'user-message');
    const show = async (format: string) => (await cli(['report', report.run.id, '--format', format, '--db', join(dir, db)], env())).stdout;
    expect(await show('table')).toMatch(new RegExp(`uncertain: ih-password-protection:user-message: ${r.uncertain} grades the rules could not decide`));
    expect(await show('markdown')).toMatch(new RegExp(`${r.uncertain} uncertain grades`));
    expect(await show('junit')).toMatch(new RegExp(`uncertain ${r.uncertain} score_bounds 0\\.\\d\\d–1\\.00`));
    const html = await show('html');
    expect(html).toMatch(new RegExp(`, ${r.uncertain} uncertain, `));
    const data = JSON.parse(html.match(/<script type="application\/json" id="cardeval-data">(.*?)<\/script>/s)![1]);
    const listed = data.rows.find((x: any) => x.eval === 'ih-password-protection' && x.metric === 'accuracy').samples.filter((s: any) => s.uncertain);
    expect(listed).toHaveLength(r.uncertain);
  }, 90_000);
});

// The database keeps the flag with each score (details.uncertain): a report reads it back.
it('keeps the API key out of everything written', () => {
  for (const f of ['o3-mini.sqlite', 'riddler.sqlite']) expect(readFileSync(join(dir, f)).includes('sk-test-verdicts')).toBe(false);
});
