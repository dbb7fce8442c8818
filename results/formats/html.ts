// The HTML report: one self-contained file (Chart.js inlined) plotting measured scores beside every card's figures, with per-row drill-down to the samples.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { formatScore, mockPriceNote } from '../../core/format.js';
import { projectRoot } from '../../core/root.js';
import { effortText, floorText, NO_ANSWER_GRADER, shownVerdict, type Report, type ResultRow } from '../report.js';
import type { Store } from '../store.js';
import type { Message, ToolCall } from '../../core/types.js';

// The page's stylesheet and script are read from the sources (dist/ holds compiled TypeScript only).
const here = join(projectRoot, 'results', 'formats');

/** Chart.js's browser build, read from the installed package; its source-map comment would be a request. */
function chartJs(): string {
  const dist = dirname(createRequire(import.meta.url).resolve('chart.js'));
  return inlineScript(readFileSync(join(dist, 'chart.umd.min.js'), 'utf8').replace(/\/\/# sourceMappingURL=\S+/g, ''));
}

/** What a drill-down shows of one item; the same for every metric row of its eval variant. */
interface ItemView {
  sample_id: string;
  epoch: number;
  status: string;
  error: string | null;
  error_kind: string | null;
  /** Indexes into the page's `conversations` and `answers`, where each distinct one is written once. */
  conversation: number;
  answer: number;
  finish_reason: string | null;
  /** The sample's attack tactic, where its eval breaks rows down by one. */
  tactic?: string;
}

interface ConversationView {
  messages: Message[];
  /** The eval's own conversation, when the role profile changed what was sent (`messages`). */
  logical_messages?: Message[];
}

interface AnswerView {
  response: string | null;
  tool_calls: ToolCall[];
}

/** The drill-down's items, with their conversations and answers each written once however many items share them. */
interface DrillDownItems {
  items: Record<string, ItemView>;
  /** Epochs of a sample send one conversation, and a deterministic model gives each the same answer. */
  conversations: ConversationView[];
  answers: AnswerView[];
}

/** A list whose equal (same JSON) entries are stored once; `add` gives the entry's index. */
function distinctList<T>(): { list: T[]; add(value: T): number } {
  const list: T[] = [];
  const seen = new Map<string, number>();
  return {
    list,
    add(value) {
      const key = JSON.stringify(value);
      let index = seen.get(key);
      if (index === undefined) seen.set(key, (index = list.push(value) - 1));
      return index;
    },
  };
}

interface SampleView {
  key: string;
  /** null for an item that ended in an error. */
  pass: boolean | null;
  reason: string;
  evidence: string | null;
  /** The answer had no content: neither pass nor fail. */
  no_answer?: boolean;
  /** The grader's rule could not decide: `pass` is its best guess. */
  uncertain?: boolean;
}

/** Passing samples shown per row: a fixed number, so the file grows with failures and errors, not with items. */
export const PASSING_SAMPLES_PER_ROW = 20;
/** The seed of the choice of passing samples: the same run gives the same file. */
const PASSING_SAMPLE_SEED = 0x15;

/** Reads the samples behind a run's rows (the store is one): outcomes first, then transcripts of the kept items only. */
export type DrillDownReader = Pick<Store, 'detailOutcomes' | 'itemDetails' | 'sampleBreakdowns'>;

export interface HtmlOptions {
  /** Without one, the rows have no samples to open. */
  drillDown?: DrillDownReader;
  /** Every passing sample instead of a seeded sample of them (`cardeval report RUN --format html --all-samples`). */
  allSamples?: boolean;
}

/** One drill-down row's samples: every failure and error, and the passes kept. */
interface RowSamples {
  failed: SampleView[];
  /** Passes the grader could not decide: all listed, like failures. */
  uncertain: SampleView[];
  errored: SampleView[];
  /** With `rank`: the passing samples with the lowest seeded ranks are kept. */
  passed: Array<SampleView & { rank: number }>;
  /** Passing samples left out of the page. */
  omitted: number;
}

/** FNV-1a of the seed and the item key: a rank that is the same on every machine and every run of the report. */
function seededRank(key: string): number {
  let h = 0x811c9dc5 ^ PASSING_SAMPLE_SEED;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The samples behind each row, read one outcome at a time: failures and errors all kept, passes kept up to `passing`
 * per row by seeded rank (the others only counted). Transcripts are then read for the kept items only.
 */
export function loadDrillDown(store: DrillDownReader, runId: string, passing = PASSING_SAMPLES_PER_ROW): { rows: Map<string, RowSamples>; errors: Map<string, SampleView[]> } & DrillDownItems {
  const rows = new Map<string, RowSamples>();
  const errors = new Map<string, SampleView[]>();
  const errorSeen = new Set<string>();
  for (const r of store.detailOutcomes(runId)) {
    if (r.status === 'error') {
      if (errorSeen.has(r.key)) continue;
      errorSeen.add(r.key);
      const k = `${r.eval}\u0000${r.variant}`;
      errors.set(k, [...(errors.get(k) ?? []), { key: r.key, pass: null, reason: r.error ?? 'error', evidence: null }]);
      continue;
    }
    if (r.status !== 'scored' || r.metric === null) continue;
    const k = `${r.eval}\u0000${r.variant}\u0000${r.metric}`;
    let row = rows.get(k);
    if (!row) rows.set(k, (row = { failed: [], uncertain: [], errored: [], passed: [], omitted: 0 }));
    const noAnswer = r.grader_version === NO_ANSWER_GRADER;
    const view = { key: r.key, pass: r.pass === 1, reason: r.reason ?? '', evidence: r.evidence, ...(noAnswer ? { no_answer: true } : {}), ...(r.uncertain ? { uncertain: true } : {}) };
    if (!view.pass) {
      row.failed.push(view);
      continue;
    }
    if (view.uncertain) {
      row.uncertain.push(view);
      continue;
    }
    const rank = seededRank(r.key);
    if (row.passed.length < passing) {
      row.passed.push({ ...view, rank });
      continue;
    }
    row.omitted++;
    // Keep the `passing` lowest ranks: replace the highest kept when this one ranks lower.
    let worst = 0;
    for (let i = 1; i < row.passed.length; i++) if (row.passed[i].rank > row.passed[worst].rank) worst = i;
    if (passing > 0 && rank < row.passed[worst].rank) row.passed[worst] = { ...view, rank };
  }
  for (const row of rows.values()) row.passed.sort((a, b) => a.rank - b.rank);
  // Each kept item's `eval \0 variant`, to find its sample's tactic.
  const keys = new Map<string, string>();
  for (const [k, row] of rows) for (const s of [...row.failed, ...row.uncertain, ...row.passed]) keys.set(s.key, k.slice(0, k.lastIndexOf('\u0000')));
  for (const [k, list] of errors) for (const s of list) keys.set(s.key, k);
  const items: Record<string, ItemView> = {};
  const conversations = distinctList<ConversationView>();
  const answers = distinctList<AnswerView>();
  const breakdowns = store.sampleBreakdowns(runId);
  for (const d of store.itemDetails(runId, [...keys.keys()])) {
    const t = d.transcript;
    const tactic = breakdowns.get(`${keys.get(d.key)}\u0000${d.sample_id}`)?.tactic;
    items[d.key] = {
      sample_id: d.sample_id, epoch: d.epoch, status: d.status, error: d.error, error_kind: d.error_kind, ...(tactic ? { tactic } : {}),
      conversation: conversations.add({ messages: t?.messages ?? [], ...(t?.logical_messages ? { logical_messages: t.logical_messages } : {}) }),
      answer: answers.add({ response: t?.response ?? null, tool_calls: t?.tool_calls ?? [] }),
      finish_reason: t?.finish_reason ?? null,
    };
  }
  return { rows, errors, items, conversations: conversations.list, answers: answers.list };
}

export function renderHtml(report: Report, options: HtmlOptions = {}): string {
  const empty = { rows: new Map<string, RowSamples>(), errors: new Map<string, SampleView[]>(), items: {}, conversations: [], answers: [] };
  const drill = options.drillDown ? loadDrillDown(options.drillDown, report.run.id, options.allSamples ? Infinity : PASSING_SAMPLES_PER_ROW) : empty;
  const rows = report.results.map((r) => {
    const row = drill.rows.get(`${r.eval}\u0000${r.variant}\u0000${r.metric}`);
    const passed = (row?.passed ?? []).map(({ rank: _, ...s }) => s);
    // Failures first, then undecided grades and errors: they are what a reader opens the drill-down for.
    const samples = [...(row?.failed ?? []), ...(row?.uncertain ?? []), ...(drill.errors.get(`${r.eval}\u0000${r.variant}`) ?? []), ...passed];
    return { eval: r.eval, variant: r.variant, metric: r.metric, samples, omitted: row?.omitted ?? 0 };
  });
  const plotted = report.results.filter((r) => r.headline && r.score !== null && r.ci95);
  const label = (r: ResultRow) => `${r.eval} · ${r.variant}`;
  // Only figures of the same test and metric share the row's axis: a related test's figure (another metric) is context,
  // listed in the row's drill-down, never plotted beside the measured score.
  const same = (r: ResultRow) => r.published.filter((p) => p.test_match !== 'related');
  const documents = [...new Set(plotted.flatMap((r) => same(r).map((p) => p.document)))].map((document) => ({
    document,
    points: plotted.flatMap((r) => same(r).filter((p) => p.document === document).map((p) => ({ x: p.value, y: label(r), model: p.model }))),
  }));
  // The figure each verdict used, drawn as its own marked series.
  const verdictFigures = plotted.filter((r) => r.reference).map((r) => ({ x: r.reference!.value, y: label(r), model: r.reference!.model, document: r.reference!.document, verdict: r.verdict }));
  // Pass rate per tactic, as every plot of the page: what breaks the model shows as a low bar, row by row.
  const tactics = report.results
    .filter((r) => r.headline && r.breakdown?.some((b) => b.by === 'tactic'))
    .map((r) => {
      const bs = r.breakdown!.filter((b) => b.by === 'tactic' && b.score !== null);
      return { label: label(r), keys: bs.map((b) => b.key), rates: bs.map((b) => b.score!), ci: bs.map((b) => b.ci95 ?? null), n: bs.map((b) => b.n) };
    });
  const tacticNames = [...new Set(Object.values(drill.items).map((i) => i.tactic).filter((t): t is string => !!t))].sort();
  const data = {
    tactics,
    plot: { labels: plotted.map(label), scores: plotted.map((r) => r.score), ci: plotted.map((r) => r.ci95), n: plotted.map((r) => r.n), documents, verdictFigures },
    rows,
    items: drill.items,
    conversations: drill.conversations,
    answers: drill.answers,
  };
  const { run } = report;
  const plotHeight = 110 + plotted.length * 34;
  return `${pageHead(`cardeval report ${esc(run.id)}`)}
<body>
<header>
<h1>cardeval report</h1>
<dl class="run">
${[['run', run.id], ['model', run.model], ['status', run.status], ['created', run.created], ['finished', run.finished ?? '—'], ['provider', run.provider],
  ['reference document', run.reference_document], ['suite', param(run.params.suite)], ['evals', param(run.params.evals)], ['seed', param(run.params.seed)],
  ['limit', param(run.params.limit) === '—' ? 'none (every sample)' : param(run.params.limit)], ['epochs', param(run.params.epochs)],
  ['role profile', run.role_profile], ['reasoning effort', effortText(run.reasoning_effort)], ['cost', costText(run.cost, run.model)], ['harness', run.harness_version]].map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('\n')}
</dl>
</header>
<section>
<h2>Measured and published</h2>
${plotted.length
  ? `<div class="plot" style="height:${plotHeight}px"><canvas id="plot" role="img" aria-label="Measured score with its 95% interval for each eval variant, beside the figures each system card published"></canvas></div>
<p class="caption">Every plot shows a pass rate (the share of samples that kept the rule; higher is better). Bars: the measured 95% interval; circles: the measured score; the large ringed marker: the figure the row's verdict compares with; other markers: the figures each document published for the same test (hover for the model). A related test's figure is listed in the row's drill-down, not plotted.</p>`
  : '<p class="muted">No headline row has a score to plot.</p>'}
</section>
${tactics.length
  ? `<section>
<h2>Pass rate by tactic</h2>
<p class="caption">For each row, the share of samples of each attack tactic that kept the rule (bars: the 95% interval; circles: the rate). Higher is better; a low bar is what breaks the model.</p>
${tactics.map((t, i) => `<h3>${esc(t.label)}</h3><div class="plot tactic-plot" style="height:${90 + t.keys.length * 22}px"><canvas id="tactic-plot-${i}" data-tactic="${i}" role="img" aria-label="${esc(`Pass rate per tactic for ${t.label}`)}"></canvas></div>`).join('\n')}
</section>`
  : ''}
<section>
<h2>Results</h2>
<table class="results">
<thead><tr><th>eval</th><th>variant</th><th>metric</th><th>score</th><th>95% CI</th><th>n</th><th>no answer</th><th>uncertain (score bounds)</th><th>errors</th><th>compared with</th><th>reasoning effort</th><th>verdict</th><th>comparability</th><th>samples</th></tr></thead>
<tbody>
${report.results.map((r, i) => resultRow(r, i)).join('\n')}
</tbody>
</table>
${notes(report)}
</section>
<section>
<h2>Samples</h2>
<p class="caption">Open a row to list its samples (failures first); open a sample for its conversation, the response and the grader's reason. The filters apply to every row.</p>
<div class="filters" role="search">
<label>outcome <select id="filter-outcome"><option value="">every outcome</option><option value="pass">pass</option><option value="fail">fail</option><option value="uncertain">uncertain</option><option value="no-answer">no answer</option><option value="error">error</option></select></label>
${tacticNames.length ? `<label>tactic <select id="filter-tactic"><option value="">every tactic</option>${tacticNames.map((t) => `<option value="${esc(t)}">${esc(t)}</option>`).join('')}</select></label>` : ''}
<label>search <input id="filter-text" type="search" placeholder="sample id, conversation, answer, reason"></label>
<span id="filter-count" class="muted"></span>
</div>
${report.results.map((r, i) => drillRow(r, i, rows[i].samples, rows[i].omitted, run.id)).join('\n')}
</section>
<footer>Written by cardeval from run ${esc(run.id)}. This file makes no network request: the plot is drawn by Chart.js, included in the page.</footer>
<script type="application/json" id="cardeval-data">${inlineJson(data)}</script>
<script>
${chartJs()}
</script>
${pageScript('html-report.js')}
</body>
</html>
`;
}

const fixed = formatScore;

/** A run parameter as the header shows it: lists joined, absent as a dash. */
function param(value: unknown): string {
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) return '—';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

function costText(cost: Report['run']['cost'], model: string): string {
  const spent = `$${cost.usd.toFixed(4)}${cost.unpriced_calls > 0 ? ` + ${cost.unpriced_calls} calls of unknown price` : ''}`;
  return spent + (cost.max_usd !== undefined ? ` (--max-cost $${cost.max_usd})` : '') + mockPriceNote(model);
}

function resultRow(r: ResultRow, i: number): string {
  const ref = r.reference ? `${fixed(r.reference.value)} ${r.reference.model} (${r.reference.document}, ${r.reference.table})` : '—';
  const verdict = r.headline || r.comparability === 'not-comparable' ? shownVerdict(r) : '';
  const why = (r.verdict_reason && verdict ? `: ${r.verdict_reason}` : '') + (r.floor ? `; ${r.below_floor ? 'FAILED ' : ''}${floorText(r)}` : '');
  const bounds = r.uncertain > 0 && r.score_bounds ? `${r.uncertain} (${fixed(r.score_bounds[0])}–${fixed(r.score_bounds[1])})` : '0';
  const comparability = r.comparability === 'comparable' ? esc(r.comparability) : `<strong>${esc(r.comparability)}${r.skipped ? ' (not run)' : ''}</strong>: ${esc(r.comparability_reason)}`;
  return `<tr><td>${esc(r.eval)}</td><td>${esc(r.variant)}</td><td>${r.headline ? esc(r.metric) : `(${esc(r.metric)})`}</td>` +
    `<td class="num">${fixed(r.score)}</td><td class="num">${r.ci95 ? `${fixed(r.ci95[0])}–${fixed(r.ci95[1])}` : '—'}</td>` +
    `<td class="num">${r.n}</td><td class="num">${r.no_answer}</td><td class="num">${bounds}</td><td class="num">${r.errors}</td><td>${esc(ref)}</td>` +
    `<td>${r.headline ? esc(effortText(r.reasoning_effort)) : ''}</td><td class="verdict-${esc(verdict)}">${esc(verdict + why)}</td><td class="comparability-${esc(r.comparability)}">${comparability}</td>` +
    `<td><a class="drill" href="#row-${i}">drill down</a></td></tr>`;
}

function drillRow(r: ResultRow, i: number, samples: SampleView[], omitted: number, runId: string): string {
  const failed = samples.filter((s) => s.pass === false).length;
  const errored = samples.filter((s) => s.pass === null).length;
  const published = r.published.length
    ? `<p class="published">Published figures for this row</p><ul class="published">${r.published.map((p) => `<li>${esc(`${fixed(p.value)} ${p.model}, ${p.document}, ${p.table}` + (p.test_match === 'related' ? ` — a related test, context only, never verdicted${p.test_match_quote ? `: "${p.test_match_quote}"` : ''}` : ''))}</li>`).join('')}</ul>`
    : '';
  const unanswered = samples.filter((s) => s.no_answer).length;
  const undecided = samples.filter((s) => s.uncertain).length;
  // Every failure and error is on the page; passes beyond a seeded sample are counted, with the command that shows them.
  const left = omitted
    ? `<p class="omitted">${omitted} passing sample${omitted === 1 ? '' : 's'} not shown (a seeded sample of ${samples.length - failed - errored} is); ` +
      `every sample: <code>${esc(`cardeval report ${runId} --format html --all-samples --out all.html`)}</code></p>`
    : '';
  return `<details class="row" id="row-${i}" data-row="${i}"><summary>${esc(`${r.eval} · ${r.variant} · ${r.metric}`)} — ` +
    `${r.passed}/${r.n} passed, ${failed - unanswered} failed, ${unanswered} no answer, ${undecided} uncertain, ${errored} errors<span class="row-matches"></span></summary><div class="row-body">${published}${left}</div></details>`;
}

function notes(report: Report): string {
  const all = [...new Set(report.results.flatMap((r) => (r.notes ?? []).map((n) => `${r.eval}: ${n}`)))];
  return all.length ? `<h4>Notes</h4><ul>${all.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '';
}

/**
 * The start of a self-contained page, up to its <body>: a Content-Security-Policy that lets nothing load from outside,
 * and the report's stylesheet inlined. `title` is HTML (escape what comes from data).
 */
export function pageHead(title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
${readFileSync(join(here, 'html-report.css'), 'utf8')}
</style>
</head>
`;
}

export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON inside <script>: a `<` could end the element (`</script>`) or open a comment, so every one is escaped. */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Script text inside <script>: a literal `</script` would end the element early. */
/** A page's own script (results/formats/NAME), after the DOM helpers every page shares (page-dom.js). */
export function pageScript(name: string): string {
  const read = (file: string) => inlineScript(readFileSync(join(here, file), 'utf8'));
  return `<script>\n${read('page-dom.js')}\n</script>\n<script>\n${read(name)}\n</script>`;
}

export function inlineScript(code: string): string {
  return code.replace(/<\/script/gi, '<\\/script');
}
