// The terminal table of a comparison: one row per eval, variant and metric, the flipped samples, the gate's verdict.
import { formatPValue, formatScore, formatSigned, formatTable } from '../../core/format.js';
import { changeLabel, rowName, verdictLine, type Comparison } from '../compare.js';

const num = formatScore;
const signed = formatSigned;
const pValue = formatPValue;

/** Flipped samples listed per row and direction before the table says "+N more". */
const flipCap = 5;

export function renderComparisonTable(cmp: Comparison): string {
  const header = ['eval', 'variant', 'metric', 'n', 'base', 'cand', 'diff', '95% CI', 'p', 'p holm', 'p→f', 'f→p', 'result'];
  const lines: string[][] = [header];
  for (const r of cmp.results) {
    lines.push([
      r.eval,
      r.variant,
      r.headline ? r.metric : `(${r.metric})`,
      String(r.n),
      num(r.base_score),
      num(r.candidate_score),
      signed(r.difference),
      r.difference_ci95 ? `${signed(r.difference_ci95[0])}…${signed(r.difference_ci95[1])}` : '—',
      pValue(r.p_value),
      pValue(r.p_holm),
      String(r.pass_to_fail),
      String(r.fail_to_pass),
      changeLabel(r),
    ]);
  }
  const out = [
    `base ${cmp.base.id} (${cmp.base.model})  candidate ${cmp.candidate.id} (${cmp.candidate.model})  alpha ${cmp.alpha}  max drop ${cmp.max_drop}`,
    ...formatTable(lines, { rule: true, right: (i) => i >= 3 && i < header.length - 1 }),
  ];
  const flips: string[] = [];
  for (const r of cmp.results) {
    for (const [dir, ids] of [['pass→fail', r.flipped.pass_to_fail], ['fail→pass', r.flipped.fail_to_pass]] as const) {
      if (ids.length === 0) continue;
      const more = ids.length > flipCap ? ` (+${ids.length - flipCap} more)` : '';
      flips.push(`  ${rowName(r)} ${dir}: ${ids.slice(0, flipCap).join(', ')}${more}`);
    }
  }
  if (flips.length) out.push('', 'flipped samples (--format json lists all):', ...flips);
  out.push('', verdictLine(cmp));
  for (const r of cmp.results.filter((x) => x.regression)) out.push(`  regression: ${rowName(r)}  ${num(r.base_score)} → ${num(r.candidate_score)} (p holm ${pValue(r.p_holm)})`);
  return out.join('\n') + '\n';
}
