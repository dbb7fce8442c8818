// The HTML report: one self-contained file (Chart.js inlined) plotting measured scores beside every card's figures, with per-row drill-down to the samples.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { formatScore } from '../../core/format.js';
import { projectRoot } from '../../core/root.js';
import { NO_ANSWER_GRADER, type Report, type ResultRow } from '../report.js';
import type { DetailRow } from '../store.js';
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
  messages: Message[];
  response: string | null;
  tool_calls: ToolCall[];
  /** The eval's own conversation, when the role profile changed what was sent (`messages`). */
  logical_messages?: Message[];
  finish_reason: string | null;
}

interface SampleView {
  key: string;
  /** null for an item that ended in an error. */
  pass: boolean | null;
  reason: string;
  evidence: string | null;
  /** The answer had no content: neither pass nor fail. */
  no_answer?: boolean;
}

interface DrillDown {
  items: Record<string, ItemView>;
  /** scores per `eval \0 variant \0 metric`, and error items per `eval \0 variant`. */
  scores: Map<string, SampleView[]>;
  errors: Map<string, SampleView[]>;
}

/** Reads a run's items with their transcripts and grader reasons; the caller hands it over (e.g. the store's detailRows). */
export type DrillDownReader = (runId: string) => DetailRow[];

/** Every item of a run with its transcript and grader reasons, grouped for the drill-down. */
function drillDownOf(rows: DetailRow[]): DrillDown {
  const out: DrillDown = { items: {}, scores: new Map(), errors: new Map() };
  const push = (map: Map<string, SampleView[]>, k: string, v: SampleView) => map.set(k, [...(map.get(k) ?? []), v]);
  for (const r of rows) {
    if (!out.items[r.key]) {
      const t = r.transcript ? (JSON.parse(r.transcript) as { messages?: Message[]; logical_messages?: Message[]; response?: string; tool_calls?: ToolCall[]; finish_reason?: string }) : {};
      out.items[r.key] = {
        sample_id: r.sample_id, epoch: r.epoch, status: r.status, error: r.error, error_kind: r.error_kind,
        messages: t.messages ?? [], response: t.response ?? null, tool_calls: t.tool_calls ?? [],
        ...(t.logical_messages ? { logical_messages: t.logical_messages } : {}), finish_reason: t.finish_reason ?? null,
      };
      if (r.status === 'error') push(out.errors, `${r.eval}\u0000${r.variant}`, { key: r.key, pass: null, reason: r.error ?? 'error', evidence: null });
    }
    if (r.status === 'scored' && r.metric !== null) {
      const noAnswer = r.grader_version === NO_ANSWER_GRADER;
      push(out.scores, `${r.eval}\u0000${r.variant}\u0000${r.metric}`, { key: r.key, pass: r.pass === 1, reason: r.reason ?? '', evidence: r.evidence, ...(noAnswer ? { no_answer: true } : {}) });
    }
  }
  return out;
}

const rank = (s: SampleView) => (s.pass === false ? 0 : s.pass === null ? 1 : 2);

/** The page; without a drill-down reader the rows have no samples to open. */
export function renderHtml(report: Report, options: { drillDown?: DrillDownReader } = {}): string {
  const drill = drillDownOf(options.drillDown?.(report.run.id) ?? []);
  const rows = report.results.map((r) => {
    const samples = [...(drill.scores.get(`${r.eval}\u0000${r.variant}\u0000${r.metric}`) ?? []), ...(drill.errors.get(`${r.eval}\u0000${r.variant}`) ?? [])];
    // Failures first: they are what a reader opens the drill-down for.
    return { eval: r.eval, variant: r.variant, metric: r.metric, samples: samples.sort((a, b) => rank(a) - rank(b)) };
  });
  const used = new Set(rows.flatMap((r) => r.samples.map((s) => s.key)));
  const items = Object.fromEntries(Object.entries(drill.items).filter(([k]) => used.has(k)));
  const plotted = report.results.filter((r) => r.headline && r.score !== null && r.ci95);
  const label = (r: ResultRow) => `${r.eval} · ${r.variant}`;
  const documents = [...new Set(plotted.flatMap((r) => r.published.map((p) => p.document)))].map((document) => ({
    document,
    points: plotted.flatMap((r) => r.published.filter((p) => p.document === document).map((p) => ({ x: p.value, y: label(r), model: p.model }))),
  }));
  // Failure rate per tactic (1 − score), with the interval flipped to match: what breaks the model, row by row.
  const tactics = report.results
    .filter((r) => r.headline && r.breakdown?.some((b) => b.by === 'tactic'))
    .map((r) => {
      const bs = r.breakdown!.filter((b) => b.by === 'tactic' && b.score !== null);
      return {
        label: label(r),
        keys: bs.map((b) => b.key),
        rates: bs.map((b) => 1 - b.score!),
        ci: bs.map((b) => (b.ci95 ? [1 - b.ci95[1], 1 - b.ci95[0]] : null)),
        n: bs.map((b) => b.n),
      };
    });
  const data = {
    tactics,
    plot: { labels: plotted.map(label), scores: plotted.map((r) => r.score), ci: plotted.map((r) => r.ci95), n: plotted.map((r) => r.n), documents },
    rows,
    items,
  };
  const { run } = report;
  const plotHeight = 110 + plotted.length * 34;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cardeval report ${esc(run.id)}</title>
<style>
${readFileSync(join(here, 'html-report.css'), 'utf8')}
</style>
</head>
<body>
<header>
<h1>cardeval report</h1>
<dl class="run">
${[['run', run.id], ['model', run.model], ['status', run.status], ['created', run.created], ['finished', run.finished ?? '—'], ['provider', run.provider],
  ['role profile', run.role_profile], ['harness', run.harness_version]].map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('\n')}
</dl>
</header>
<section>
<h2>Measured and published</h2>
${plotted.length
  ? `<div class="plot" style="height:${plotHeight}px"><canvas id="plot" role="img" aria-label="Measured score with its 95% interval for each eval variant, beside the figures each system card published"></canvas></div>
<p class="caption">Bars: the measured 95% interval; circles: the measured score; other markers: the figures each card published for that row (hover for the model).</p>`
  : '<p class="muted">No headline row has a score to plot.</p>'}
</section>
${tactics.length
  ? `<section>
<h2>Failure rate by tactic</h2>
<p class="caption">For each row, the share of samples of each attack tactic that broke the rule (bars: the 95% interval; circles: the rate). Higher is worse.</p>
${tactics.map((t, i) => `<h3>${esc(t.label)}</h3><div class="plot tactic-plot" style="height:${90 + t.keys.length * 22}px"><canvas id="tactic-plot-${i}" data-tactic="${i}" role="img" aria-label="${esc(`Failure rate per tactic for ${t.label}`)}"></canvas></div>`).join('\n')}
</section>`
  : ''}
<section>
<h2>Results</h2>
<table class="results">
<thead><tr><th>eval</th><th>variant</th><th>metric</th><th>score</th><th>95% CI</th><th>n</th><th>no answer</th><th>errors</th><th>compared with</th><th>verdict</th><th>comparability</th><th>samples</th></tr></thead>
<tbody>
${report.results.map((r, i) => resultRow(r, i)).join('\n')}
</tbody>
</table>
${notes(report)}
</section>
<section>
<h2>Samples</h2>
<p class="caption">Open a row to list its samples (failures first); open a sample for its conversation, the response and the grader's reason.</p>
${report.results.map((r, i) => drillRow(r, i, rows[i].samples)).join('\n')}
</section>
<footer>Written by cardeval from run ${esc(run.id)}. This file makes no network request: the plot is drawn by Chart.js, included in the page.</footer>
<script type="application/json" id="cardeval-data">${inlineJson(data)}</script>
<script>
${chartJs()}
</script>
<script>
${inlineScript(readFileSync(join(here, 'html-report.js'), 'utf8'))}
</script>
</body>
</html>
`;
}

const fixed = formatScore;

function resultRow(r: ResultRow, i: number): string {
  const ref = r.reference ? `${fixed(r.reference.value)} ${r.reference.model} (${r.reference.document}, ${r.reference.table})` : '—';
  const verdict = r.headline || r.comparability === 'not-comparable' ? r.verdict : '';
  const comparability = r.comparability === 'comparable' ? esc(r.comparability) : `<strong>${esc(r.comparability)}${r.skipped ? ' (not run)' : ''}</strong>: ${esc(r.comparability_reason)}`;
  return `<tr><td>${esc(r.eval)}</td><td>${esc(r.variant)}</td><td>${r.headline ? esc(r.metric) : `(${esc(r.metric)})`}</td>` +
    `<td class="num">${fixed(r.score)}</td><td class="num">${r.ci95 ? `${fixed(r.ci95[0])}–${fixed(r.ci95[1])}` : '—'}</td>` +
    `<td class="num">${r.n}</td><td class="num">${r.no_answer}</td><td class="num">${r.errors}</td><td>${esc(ref)}</td>` +
    `<td class="verdict-${esc(verdict)}">${esc(verdict)}</td><td class="comparability-${esc(r.comparability)}">${comparability}</td>` +
    `<td><a class="drill" href="#row-${i}">drill down</a></td></tr>`;
}

function drillRow(r: ResultRow, i: number, samples: SampleView[]): string {
  const failed = samples.filter((s) => s.pass === false).length;
  const errored = samples.filter((s) => s.pass === null).length;
  const published = r.published.length
    ? `<p class="published">Published figures for this row</p><ul class="published">${r.published.map((p) => `<li>${esc(`${fixed(p.value)} ${p.model}, ${p.document}, ${p.table}`)}</li>`).join('')}</ul>`
    : '';
  const unanswered = samples.filter((s) => s.no_answer).length;
  return `<details class="row" id="row-${i}" data-row="${i}"><summary>${esc(`${r.eval} · ${r.variant} · ${r.metric}`)} — ` +
    `${r.passed}/${r.n} passed, ${failed - unanswered} failed, ${unanswered} no answer, ${errored} errors</summary><div class="row-body">${published}</div></details>`;
}

function notes(report: Report): string {
  const all = [...new Set(report.results.flatMap((r) => (r.notes ?? []).map((n) => `${r.eval}: ${n}`)))];
  return all.length ? `<h4>Notes</h4><ul>${all.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '';
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON inside <script>: a `<` could end the element (`</script>`) or open a comment, so every one is escaped. */
function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Script text inside <script>: a literal `</script` would end the element early. */
function inlineScript(code: string): string {
  return code.replace(/<\/script/gi, '<\\/script');
}
