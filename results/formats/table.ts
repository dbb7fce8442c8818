// The terminal table: one row per eval variant, measured beside the o3-mini card's published figures; `--by` breakdowns.
import { ConfigError } from '../../core/errors.js';
import { formatScore, formatTable, mockPriceNote, budgetText } from '../../core/format.js';
import { cardFigure, cardModels, contextFigures, effortText, floorText, type Report, type ResultRow } from '../report.js';

const pct = formatScore;

/** Columns `from` up to (not including) `to` hold numbers: right-aligned. */
const columns = (lines: string[][], from: number, to: number) => formatTable(lines, { rule: true, right: (i) => i >= from && i < to });

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

export function renderTable(report: Report): string {
  const header = ['eval', 'variant', 'metric', 'score', '95% CI', 'n', 'no answer', 'uncertain', 'err', ...cardModels.map((m) => `card ${m}`), 'effort', 'verdict'];
  const lines: string[][] = [header];
  const notes = new Set<string>();
  for (const r of report.results) {
    lines.push([
      r.eval,
      r.variant,
      r.headline ? r.metric : `(${r.metric})`,
      pct(r.score),
      r.ci95 ? `${pct(r.ci95[0])}–${pct(r.ci95[1])}` : '—',
      String(r.n),
      String(r.no_answer),
      String(r.uncertain),
      String(r.errors),
      ...cardModels.map((m) => cardCell(r, m)),
      r.headline ? effortText(r.reasoning_effort) : '',
      verdictCell(r),
    ]);
    for (const n of r.notes ?? []) notes.add(`${r.eval}: ${n}`);
  }
  const out = [`run ${report.run.id}  model ${report.run.model}  status ${report.run.status}  cost ${costText(report.run.cost, report.run.model)}`, ...columns(lines, 3, lines[0].length - 2)];
  if (report.run.cost.max_usd !== undefined) out.splice(1, 0, `budget: ${budgetText(report.run.cost.usd, report.run.cost.max_usd)}`);
  const refs = [...new Set(report.results.filter((r) => r.reference).map((r) => `${r.reference!.model} (${r.reference!.document})`))];
  out.push('', refs.length ? `verdicts compare with: ${refs.join('; ')}` : `verdicts compare with: ${report.run.reference_document}, which publishes no figure for ${report.run.model} (no-published)`);
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
  return out.join('\n') + '\n';
}

/** `report --by DIMENSION`: every headline row's breakdown on that dimension, with intervals. */
export function renderBreakdownTable(report: Report, by: string): string {
  const dims = new Set(report.results.flatMap((r) => (r.breakdown ?? []).map((b) => b.by)));
  if (!dims.has(by)) throw new ConfigError(`--by must be one of ${[...dims].join(', ') || '(no breakdown in this run)'}, got "${by}"`);
  const lines: string[][] = [['eval', 'variant', by, 'score', '95% CI', 'n', 'passed', 'failed']];
  for (const r of report.results) {
    for (const b of (r.breakdown ?? []).filter((x) => x.by === by)) {
      lines.push([r.eval, r.variant, b.key, pct(b.score), b.ci95 ? `${pct(b.ci95[0])}–${pct(b.ci95[1])}` : '—', String(b.n), String(b.passed), String(b.n - b.passed)]);
    }
  }
  return [`run ${report.run.id}  model ${report.run.model}  breakdown by ${by}`, ...columns(lines, 3, lines[0].length)].join('\n') + '\n';
}

function costText(cost: Report['run']['cost'], model: string): string {
  const usd = `$${cost.usd.toFixed(4)}`;
  return (cost.unpriced_calls > 0 ? `${usd} + ${cost.unpriced_calls} calls of unknown price` : usd) + mockPriceNote(model);
}
