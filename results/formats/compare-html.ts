// `compare --format html`: one self-contained page with each row's outcome, then every flipped sample side by side (conversation, base and candidate answer and grade), filterable by row, direction and text.
import { formatPValue, formatScore, formatSigned } from '../../core/format.js';
import { NO_ANSWER_GRADER } from '../report.js';
import { outcomeLabel, rowName, verdictLine, type Comparison, type CompareRow } from '../compare.js';
import { esc, inlineJson, pageHead, pageScript, type DrillDownReader } from './html.js';
import type { Message, ToolCall } from '../../core/types.js';


/** One run's side of a flipped item: its answer and its grade on the row's metric. */
interface SideView {
  response: string | null;
  tool_calls: ToolCall[];
  /** null: the item has no grade on this metric (an error, or not scored). */
  pass: boolean | null;
  reason: string;
  uncertain?: boolean;
  no_answer?: boolean;
  error?: string;
}

interface FlipView {
  row: number;
  direction: 'fell' | 'rose';
  sample_id: string;
  epochs: Array<{ epoch: number; messages: Message[]; base: SideView | null; candidate: SideView | null }>;
}

/** Regressions first, then inconclusive gated rows, then the rest, each group in the comparison's order. */
export function rankOfRow(r: CompareRow): number {
  return r.regression ? 0 : r.gated && r.outcome === 'inconclusive' ? 1 : 2;
}

/** The flipped samples of every row, with both runs' answers and grades, read from the store for those items only. */
export function loadFlips(store: DrillDownReader, cmp: Comparison, rows: CompareRow[]): FlipView[] {
  const flips: FlipView[] = [];
  // Item keys are `eval:variant:sample:epoch`; a flipped sample is every epoch of it.
  const prefixes = new Set<string>();
  rows.forEach((r, row) => {
    for (const [direction, ids] of [['fell', r.flipped.pass_to_fail], ['rose', r.flipped.fail_to_pass]] as const) {
      for (const sample_id of ids) {
        flips.push({ row, direction, sample_id, epochs: [] });
        prefixes.add(`${r.eval}:${r.variant}:${sample_id}`);
      }
    }
  });
  const side = (runId: string) => {
    const grades = new Map<string, { pass: boolean | null; reason: string; uncertain: boolean; no_answer: boolean }>();
    const keys = new Set<string>();
    for (const o of store.detailOutcomes(runId)) {
      if (!prefixes.has(o.key.replace(/:\d+$/, ''))) continue;
      keys.add(o.key);
      if (o.metric === null) continue;
      const no_answer = o.grader_version === NO_ANSWER_GRADER;
      grades.set(`${o.key}\u0000${o.metric}`, { pass: o.pass === null ? null : o.pass === 1, reason: o.reason ?? '', uncertain: !!o.uncertain, no_answer });
      // The no_answer row scores 1 when the answer was empty: its grade is the item's, on any metric.
      if (no_answer) grades.set(`${o.key}\u0000no_answer`, { pass: true, reason: 'the answer had no content', uncertain: false, no_answer: true });
    }
    const details = new Map(store.itemDetails(runId, [...keys]).map((d) => [d.key, d]));
    return { grades, details };
  };
  const base = side(cmp.base.id);
  const candidate = side(cmp.candidate.id);
  const view = (s: ReturnType<typeof side>, key: string, metric: string): SideView | null => {
    const d = s.details.get(key);
    if (!d) return null;
    const g = s.grades.get(`${key}\u0000${metric}`) ?? (metric === 'no_answer' && d.status === 'scored' ? { pass: false, reason: 'the answer had content', uncertain: false, no_answer: false } : undefined);
    return {
      response: d.transcript?.response ?? null,
      tool_calls: d.transcript?.tool_calls ?? [],
      pass: g?.pass ?? null,
      reason: g?.reason ?? '',
      ...(g?.uncertain ? { uncertain: true } : {}),
      ...(g?.no_answer ? { no_answer: true } : {}),
      ...(d.error ? { error: d.error } : {}),
    };
  };
  for (const f of flips) {
    const r = rows[f.row];
    const prefix = `${r.eval}:${r.variant}:${f.sample_id}:`;
    const epochKeys = [...new Set([...base.details.keys(), ...candidate.details.keys()])].filter((k) => k.startsWith(prefix) && /^\d+$/.test(k.slice(prefix.length)));
    for (const key of epochKeys.sort()) {
      const messages = base.details.get(key)?.transcript?.messages ?? candidate.details.get(key)?.transcript?.messages ?? [];
      f.epochs.push({ epoch: Number(key.slice(prefix.length)), messages, base: view(base, key, r.metric), candidate: view(candidate, key, r.metric) });
    }
    f.epochs.sort((a, b) => a.epoch - b.epoch);
  }
  return flips;
}

export function renderComparisonHtml(cmp: Comparison, options: { drillDown?: DrillDownReader } = {}): string {
  const rows = [...cmp.results].sort((a, b) => rankOfRow(a) - rankOfRow(b));
  const flips = options.drillDown ? loadFlips(options.drillDown, cmp, rows) : [];
  const data = {
    rows: rows.map((r) => ({ name: rowName(r), higher_is_better: r.higher_is_better })),
    flips,
  };
  const confidence = Math.round((1 - cmp.alpha) * 100);
  const failed = cmp.regressions > 0 || cmp.unscored.failed;
  const flipped = rows.reduce((n, r) => n + r.flipped.pass_to_fail.length + r.flipped.fail_to_pass.length, 0);
  const side = (role: string, r: Comparison['base']) => `<dt>${role}</dt><dd>${esc(`${r.id} · ${r.model} · ${r.status} · ${r.created}`)}</dd>`;
  return `${pageHead(`cardeval comparison ${esc(cmp.base.id)} → ${esc(cmp.candidate.id)}`)}
<body>
<header>
<h1>cardeval comparison</h1>
<dl class="run">
${side('base', cmp.base)}
${side('candidate', cmp.candidate)}
<dt>paired items</dt><dd>${cmp.items.shared} (base ${cmp.items.base}, candidate ${cmp.items.candidate})</dd>
<dt>gate</dt><dd>alpha ${cmp.alpha}, max drop ${cmp.max_drop}</dd>
</dl>
<p class="gate ${failed ? 'gate-failed' : cmp.inconclusive > 0 ? 'gate-inconclusive' : 'gate-passed'}">${esc(verdictLine(cmp))}</p>
${cmp.warnings.map((w) => `<p class="warning">warning: ${esc(w)}</p>`).join('\n')}
</header>
<section>
<h2>Rows</h2>
<p class="caption">Regressions first, then inconclusive rows, then the rest. Rows in parentheses are shown, not gated. n counts samples (each the mean of its epochs); bounds: ${confidence}% each side.</p>
<table class="results">
<thead><tr><th>eval</th><th>variant</th><th>metric</th><th>better</th><th>n</th><th>base</th><th>candidate</th><th>difference (bounds)</th><th>p</th><th>p drop &gt; max</th><th>pass → fail</th><th>fail → pass</th><th>outcome</th></tr></thead>
<tbody>
${rows.map((r, i) => compareRow(r, i)).join('\n')}
</tbody>
</table>
</section>
<section>
<h2>Flipped samples</h2>
${options.drillDown ? '' : '<p class="muted">This page was written without the runs\' store: no sample to show.</p>'}
<div class="filters" role="search">
<label>row <select id="filter-row"><option value="">every row</option>${rows.map((r, i) => (r.pass_to_fail + r.fail_to_pass > 0 ? `<option value="${i}">${esc(rowName(r))}</option>` : '')).join('')}</select></label>
<label>direction <select id="filter-direction"><option value="">both</option><option value="worse">worse in the candidate</option><option value="better">better in the candidate</option></select></label>
<label>search <input id="filter-text" type="search" placeholder="sample id, conversation, answer, reason"></label>
<span id="filter-count" class="muted">${flipped} of ${flipped} flipped samples</span>
</div>
<div id="flips"></div>
</section>
<footer>Written by cardeval from runs ${esc(cmp.base.id)} and ${esc(cmp.candidate.id)}. This file makes no network request.</footer>
<script type="application/json" id="cardeval-data">${inlineJson(data)}</script>
${pageScript('compare-report.js')}
</body>
</html>
`;
}

function compareRow(r: CompareRow, i: number): string {
  const bounds = r.difference_bounds ? ` (${formatSigned(r.difference_bounds[0])} to ${formatSigned(r.difference_bounds[1])})` : '';
  const flipLink = (n: number, direction: string) => (n > 0 ? `<a href="#flips" class="show-flips" data-row="${i}" data-direction="${direction}">${n}</a>` : '0');
  const worse = r.higher_is_better ? 'worse' : 'better';
  const better = r.higher_is_better ? 'better' : 'worse';
  return `<tr class="outcome-${esc(r.outcome)}" data-row="${i}"><td>${esc(r.eval)}</td><td>${esc(r.variant)}</td><td>${r.gated ? esc(r.metric) : `(${esc(r.metric)})`}</td>` +
    `<td>${r.higher_is_better ? 'higher' : 'lower'}</td><td class="num">${r.n}</td><td class="num">${formatScore(r.base_score)}</td><td class="num">${formatScore(r.candidate_score)}</td>` +
    `<td class="num">${formatSigned(r.difference)}${bounds}</td><td class="num">${r.n ? formatPValue(r.p_value) : '—'}</td><td class="num">${r.n ? formatPValue(r.p_holm ?? r.p_regression) : '—'}</td>` +
    `<td class="num">${flipLink(r.pass_to_fail, worse)}</td><td class="num">${flipLink(r.fail_to_pass, better)}</td><td class="outcome">${r.regression ? `<strong>${esc(outcomeLabel(r))}</strong>` : esc(outcomeLabel(r))}</td></tr>`;
}
