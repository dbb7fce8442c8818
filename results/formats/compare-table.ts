// The terminal table of a comparison: one row per eval, variant and metric, its outcome, the flipped samples, the gate's verdict.
import { formatPValue, formatScore, formatSigned } from '../../core/format.js';
import { fitTable, wrapLine } from './terminal-table.js';
import { outcomeLabel, rowName, verdictLine, type Comparison } from '../compare.js';

const num = formatScore;
const signed = formatSigned;
const pValue = formatPValue;

/** Flipped samples listed per row and direction before the table says "+N more". */
const flipCap = 5;

export function renderComparisonTable(cmp: Comparison, { width }: { width?: number } = {}): string {
  const confidence = Math.round((1 - cmp.alpha) * 100);
  const rows = cmp.results;
  const table = fitTable(
    [
      { header: 'eval', cells: rows.map((r) => r.eval) },
      { header: 'variant', cells: rows.map((r) => r.variant) },
      { header: 'metric', cells: rows.map((r) => (r.gated ? r.metric : `(${r.metric})`)) },
      { header: 'better', cells: rows.map((r) => (r.higher_is_better ? 'higher' : 'lower')), dropRank: 2 },
      { header: 'n', cells: rows.map((r) => String(r.n)), right: true },
      { header: 'base', cells: rows.map((r) => num(r.base_score)), right: true },
      { header: 'cand', cells: rows.map((r) => num(r.candidate_score)), right: true },
      { header: 'diff', cells: rows.map((r) => signed(r.difference)), right: true },
      { header: `bounds (${confidence}% each)`, cells: rows.map((r) => (r.difference_bounds ? `${signed(r.difference_bounds[0])}…${signed(r.difference_bounds[1])}` : '—')), right: true, dropRank: 1 },
      { header: 'p', cells: rows.map((r) => (r.n ? pValue(r.p_value) : '—')), right: true, dropRank: 0 },
      { header: 'p drop>max', cells: rows.map((r) => (r.n ? pValue(r.p_holm ?? r.p_regression) : '—')), right: true },
      { header: 'p→f', cells: rows.map((r) => String(r.pass_to_fail)), right: true },
      { header: 'f→p', cells: rows.map((r) => String(r.fail_to_pass)), right: true },
      { header: 'outcome', cells: rows.map((r) => outcomeLabel(r)) },
    ],
    width,
  );
  const out = [
    `base ${cmp.base.id} (${cmp.base.model})  candidate ${cmp.candidate.id} (${cmp.candidate.model})  alpha ${cmp.alpha}  max drop ${cmp.max_drop}`,
    ...table.lines,
  ];
  if (table.dropped.length) out.push(`(${table.dropped.join(', ')} left out to fit ${width} columns; pipe the output, e.g. \`| cat\`, or --format json for every figure)`);
  const flips: string[] = [];
  for (const r of cmp.results) {
    for (const [dir, ids] of [['fell', r.flipped.pass_to_fail], ['rose', r.flipped.fail_to_pass]] as const) {
      if (ids.length === 0) continue;
      const more = ids.length > flipCap ? ` (+${ids.length - flipCap} more)` : '';
      flips.push(`  ${rowName(r)} ${dir}: ${ids.slice(0, flipCap).join(', ')}${more}`);
    }
  }
  if (flips.length) out.push('', 'samples whose score changed (--format json lists all):', ...flips);
  out.push('', verdictLine(cmp));
  for (const r of cmp.results.filter((x) => x.regression)) out.push(`  regression: ${rowName(r)}  ${num(r.base_score)} → ${num(r.candidate_score)} (p holm ${pValue(r.p_holm)})`);
  for (const r of cmp.results.filter((x) => x.gated && x.outcome === 'inconclusive')) out.push(`  inconclusive: ${rowName(r)}  ${num(r.base_score)} → ${num(r.candidate_score)}: ${outcomeLabel(r)}`);
  return out.map((line, i) => (i > 0 && i <= table.lines.length ? line : wrapLine(line, width))).join('\n') + '\n';
}
