// The terminal table of a comparison: one row per eval, variant and metric, its outcome, the flipped samples, the gate's verdict.
import { formatPValue, formatScore, formatSigned, formatTable } from '../../core/format.js';
import { outcomeLabel, rowName, verdictLine, type Comparison } from '../compare.js';

const num = formatScore;
const signed = formatSigned;
const pValue = formatPValue;

/** Flipped samples listed per row and direction before the table says "+N more". */
const flipCap = 5;

export function renderComparisonTable(cmp: Comparison): string {
  const confidence = Math.round((1 - cmp.alpha) * 100);
  const header = ['eval', 'variant', 'metric', 'better', 'n', 'base', 'cand', 'diff', `bounds (${confidence}% each)`, 'p', 'p drop>max', 'p→f', 'f→p', 'outcome'];
  const lines: string[][] = [header];
  for (const r of cmp.results) {
    lines.push([
      r.eval,
      r.variant,
      r.gated ? r.metric : `(${r.metric})`,
      r.higher_is_better ? 'higher' : 'lower',
      String(r.n),
      num(r.base_score),
      num(r.candidate_score),
      signed(r.difference),
      r.difference_bounds ? `${signed(r.difference_bounds[0])}…${signed(r.difference_bounds[1])}` : '—',
      pValue(r.p_value),
      pValue(r.p_holm ?? r.p_regression),
      String(r.pass_to_fail),
      String(r.fail_to_pass),
      outcomeLabel(r),
    ]);
  }
  const out = [
    `base ${cmp.base.id} (${cmp.base.model})  candidate ${cmp.candidate.id} (${cmp.candidate.model})  alpha ${cmp.alpha}  max drop ${cmp.max_drop}`,
    ...formatTable(lines, { rule: true, right: (i) => i >= 4 && i < header.length - 1 }),
  ];
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
  return out.join('\n') + '\n';
}
