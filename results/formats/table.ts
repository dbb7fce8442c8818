// The terminal table: one row per eval variant, measured beside the o3-mini card's published figures; `--by` breakdowns.
import { ConfigError } from '../../core/errors.js';
import { formatScore, mockPriceNote, budgetText } from '../../core/format.js';
import { fitTable, wrapLine } from './terminal-table.js';
import { cardFigure, cardModels, contextFigures, effortText, floorText, primaryDocument, shownVerdict, verdictsComparedWith, type Report, type ResultRow } from '../report.js';

const pct = formatScore;

/** The verdict cell: a not-comparable row says so even where it has no verdict of its own. */
function verdictCell(r: ResultRow): string {
  if (r.comparability === 'not-comparable') return r.skipped ? 'not-comparable (not run)' : 'not-comparable';
  if (!r.headline) return '';
  return r.comparability === 'approximate' ? `${r.verdict} (approximate)` : r.verdict;
}

/** A card's figure in its column; a related test's figure in parentheses: context, not what the row measures. */
function cardCell(r: ResultRow, model: string): string {
  const f = cardFigure(r, model);
  return f?.test_match === 'related' ? `(${pct(f.value)})` : pct(f?.value);
}

export interface TableOptions {
  /** The terminal's width when stdout is one: the table fits it, the rest is said in a note. Piped: the full table. */
  width?: number;
}

/** The verdict's figure when it comes from the row's own reference document, not the o3-mini card's columns. */
function ownReferenceCell(r: ResultRow): string {
  return r.reference && r.reference.document !== primaryDocument ? `${pct(r.reference.value)} ${r.reference.model}` : '';
}

export function renderTable(report: Report, { width }: TableOptions = {}): string {
  const rows = report.results;
  const verdictOf = (r: ResultRow) => (shownVerdict(r) === '' ? '' : verdictCell(r));
  const table = fitTable(
    [
      { header: 'eval', cells: rows.map((r) => r.eval) },
      { header: 'variant', cells: rows.map((r) => r.variant) },
      { header: 'metric', cells: rows.map((r) => (r.headline ? r.metric : `(${r.metric})`)) },
      { header: 'score', cells: rows.map((r) => pct(r.score)), right: true },
      { header: '95% CI', cells: rows.map((r) => (r.ci95 ? `${pct(r.ci95[0])}–${pct(r.ci95[1])}` : '—')), right: true, dropRank: 5 },
      { header: 'n', cells: rows.map((r) => String(r.n)), right: true },
      { header: 'no answer', cells: rows.map((r) => String(r.no_answer)), right: true, dropRank: 3 },
      { header: 'uncertain', cells: rows.map((r) => String(r.uncertain)), right: true, dropRank: 4 },
      { header: 'err', cells: rows.map((r) => String(r.errors)), right: true },
      ...cardModels.map((m, i) => ({ header: `card ${m}`, cells: rows.map((r) => cardCell(r, m)), right: true, ...(i > 0 ? { dropRank: 3 - i } : {}) })),
      { header: 'reference', cells: rows.map(ownReferenceCell), right: true },
      { header: 'effort', cells: rows.map((r) => (r.headline ? effortText(r.reasoning_effort) : '')), dropRank: 0 },
      { header: 'verdict', cells: rows.map(verdictOf) },
    ],
    width,
  );
  const out = [`run ${report.run.id}  model ${report.run.model}  status ${report.run.status}  cost ${costText(report.run.cost, report.run.model)}`];
  if (report.run.cost.max_usd !== undefined) out.push(`budget: ${budgetText(report.run.cost.usd, report.run.cost.max_usd)}`);
  const tableAt = out.length;
  out.push(...table.lines);
  if (table.dropped.length) out.push(`(${table.dropped.join(', ')} left out to fit ${width} columns; pipe the output, e.g. \`| cat\`, or widen the terminal to see them)`);
  const notes = new Set(rows.flatMap((r) => (r.notes ?? []).map((n) => `${r.eval}: ${n}`)));
  const refs = [...new Set(report.results.filter((r) => r.reference).map((r) => `${r.reference!.model} (${r.reference!.document})`))];
  out.push('', verdictsComparedWith(report, refs));
  out.push(`reasoning effort: ${effortText(report.run.reasoning_effort)} (the cards do not state the effort behind their figures)`);
  for (const r of report.results) {
    if (r.comparability !== 'comparable') out.push(`${r.comparability}: ${r.eval}:${r.variant}: ${r.comparability_reason}`);
  }
  for (const r of report.results.filter((x) => x.floor)) out.push(`${r.below_floor ? 'FAILED ' : ''}fail-under: ${r.eval}:${r.variant}: ${floorText(r)}`);
  for (const r of report.results.filter((x) => x.verdict === 'inconclusive')) out.push(`inconclusive: ${r.eval}:${r.variant}: ${r.verdict_reason}`);
  for (const r of report.results.filter((x) => x.headline && x.uncertain > 0)) {
    out.push(`uncertain: ${r.eval}:${r.variant}: ${r.uncertain} grades the rules could not decide; score ${pct(r.score)} is the grader's best guess, between ${pct(r.score_bounds![0])} and ${pct(r.score_bounds![1])}`);
  }
  for (const r of report.results) {
    const context = contextFigures(r, report.run.reference_document);
    if (context.length) out.push(`context (a related test, never verdicted): ${r.eval}:${r.variant}: ${context.map((p) => `${p.document} ${p.table} ${p.model} ${pct(p.value)}`).join(', ')}`);
  }
  const unanswered = report.results.filter((r) => r.headline && r.no_answer > 0);
  for (const r of unanswered) out.push(`no answer: ${r.eval}:${r.variant}: ${r.no_answer} items had no answer to grade and count as failures (score among answered items ${formatScore(r.score_answered)})`);
  for (const r of report.results.filter((r) => r.judge_errors)) {
    out.push(`judge errors: ${r.eval}:${r.variant}: ${r.judge_errors} of ${r.n + r.judge_errors!} judge calls failed or wrote no verdict line (neither pass nor fail)`);
  }
  const truncated = report.results.filter((r) => r.headline && r.truncated > 0);
  for (const r of truncated) out.push(`truncated: ${r.eval}:${r.variant}: ${r.truncated} answers were cut off by the token limit (graded on what they say)`);
  const methods = [...new Set(report.results.map((r) => r.ci95_method).filter((m): m is string => !!m))];
  if (methods.length) out.push(`intervals: ${methods.join(', ')} (docs/statistics.md); \`report --by tactic\` breaks rows down`);
  if (notes.size) out.push('', ...[...notes].map((n) => `note: ${n}`));
  return finish(out, tableAt, tableAt + table.lines.length, width);
}

/** Lines after the table said once (a row's metrics share its notes), and every line wrapped to the terminal's width. */
function finish(out: string[], tableAt: number, tableEnd: number, width: number | undefined): string {
  const seen = new Set<string>();
  const kept: string[] = [];
  out.forEach((line, i) => {
    if (i >= tableAt && i < tableEnd) return void kept.push(line);
    if (line !== '' && seen.has(line)) return;
    seen.add(line);
    kept.push(wrapLine(line, width));
  });
  return kept.join('\n') + '\n';
}

/** `report --by DIMENSION`: every headline row's breakdown on that dimension, with intervals. */
export function renderBreakdownTable(report: Report, by: string, { width }: TableOptions = {}): string {
  const dims = new Set(report.results.flatMap((r) => (r.breakdown ?? []).map((b) => b.by)));
  if (!dims.has(by)) throw new ConfigError(`--by must be one of ${[...dims].join(', ') || '(no breakdown in this run)'}, got "${by}"`);
  const rows = report.results.flatMap((r) => (r.breakdown ?? []).filter((x) => x.by === by).map((b) => ({ r, b })));
  const table = fitTable(
    [
      { header: 'eval', cells: rows.map(({ r }) => r.eval) },
      { header: 'variant', cells: rows.map(({ r }) => r.variant) },
      { header: by, cells: rows.map(({ b }) => b.key) },
      { header: 'score', cells: rows.map(({ b }) => pct(b.score)), right: true },
      { header: '95% CI', cells: rows.map(({ b }) => (b.ci95 ? `${pct(b.ci95[0])}–${pct(b.ci95[1])}` : '—')), right: true, dropRank: 1 },
      { header: 'n', cells: rows.map(({ b }) => String(b.n)), right: true },
      { header: 'passed', cells: rows.map(({ b }) => String(b.passed)), right: true, dropRank: 0 },
      { header: 'failed', cells: rows.map(({ b }) => String(b.n - b.passed)), right: true },
    ],
    width,
  );
  const out = [`run ${report.run.id}  model ${report.run.model}  breakdown by ${by}`, ...table.lines];
  if (table.dropped.length) out.push(`(${table.dropped.join(', ')} left out to fit ${width} columns; pipe the output, e.g. \`| cat\`, or widen the terminal to see them)`);
  return finish(out, 1, 1 + table.lines.length, width);
}

function costText(cost: Report['run']['cost'], model: string): string {
  const usd = `$${cost.usd.toFixed(4)}`;
  return (cost.unpriced_calls > 0 ? `${usd} + ${cost.unpriced_calls} calls of unknown price` : usd) + mockPriceNote(model);
}
