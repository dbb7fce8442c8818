// Markdown reports sized for a pull-request comment: a table, the verdicts, and no link to anything local.
import { formatPValue, formatScore, formatSigned } from '../../core/format.js';
import { cardFigure, cardModels, contextFigures, effortText, floorText, primaryDocument, shownVerdict, verdictsComparedWith, type Report, type ResultRow } from '../report.js';
import { rankOfRow } from './compare-html.js';
import { outcomeLabel, rowName, verdictLine, type Comparison } from '../compare.js';


/** Flipped samples listed per row and direction; a GitHub comment holds 65,536 characters. */
const flipCap = 50;

const num = formatScore;
const signed = formatSigned;
const interval = (ci: [number, number] | null, f: (v: number) => string = num, to = '–') => (ci ? `${f(ci[0])}${to}${f(ci[1])}` : '—');
const pValue = formatPValue;

/** Text made safe for a table cell: no line breaks, and Markdown/HTML punctuation escaped. */
export function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/([\\|*_`<>[\]#~])/g, '\\$1');
}

/** An inline code span; a backtick inside would end it, so it is replaced. */
const code = (text: string) => '`' + text.replace(/`/g, "'").replace(/\r?\n/g, ' ') + '`';

function table(header: string[], align: Array<'l' | 'r'>, rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${align.map((a) => (a === 'r' ? '--:' : ':--')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

/** A card's figure in its column; a related test's figure in parentheses (context only). */
function cardCell(r: ResultRow, model: string): string {
  const f = cardFigure(r, model);
  return f?.test_match === 'related' ? `(${num(f.value)})` : num(f?.value);
}

export function renderMarkdown(report: Report): string {
  const { run } = report;
  const out = [
    '## cardeval report',
    '',
    `Run ${code(run.id)}, model ${code(run.model)}, status **${cell(run.status)}**, created ${cell(run.created)}.`,
    '',
  ];
  const rows = report.results.map((r) => {
    const shown = shownVerdict(r);
    const verdict =
      r.comparability === 'not-comparable'
        ? `**not-comparable**${r.skipped ? ' (not run)' : ''}`
        : r.headline
          ? (shown === 'lower' ? '**lower**' : shown) + (shown && r.comparability === 'approximate' ? ' (approximate)' : '')
          : '';
    return [
      cell(r.eval),
      cell(r.variant),
      r.headline ? cell(r.metric) : `(${cell(r.metric)})`,
      num(r.score),
      interval(r.ci95),
      String(r.n),
      String(r.no_answer),
      String(r.uncertain),
      String(r.errors),
      ...cardModels.map((m) => cardCell(r, m)),
      r.headline ? cell(effortText(r.reasoning_effort)) : '',
      verdict,
    ];
  });
  out.push(
    ...table(
      ['eval', 'variant', 'metric', 'score', '95% CI', 'n', 'no answer', 'uncertain', 'errors', ...cardModels.map((m) => `card ${cell(m)}`), 'effort', 'verdict'],
      ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', ...cardModels.map(() => 'r' as const), 'l', 'l'],
      rows,
    ),
  );
  const refs = [...new Set(report.results.filter((r) => r.reference).map((r) => `${r.reference!.model} (${r.reference!.document} ${r.reference!.table})`))];
  out.push('', `Card columns: ${cell(primaryDocument)}. A verdict says whether the measured 95% interval overlaps the figure the ` +
    `reference document published for this model, taken with its rounding` +
    `; ${cell(verdictsComparedWith(report, refs))}.` +
    ` Reasoning effort of this run: ${cell(effortText(report.run.reasoning_effort))}; the cards do not state theirs. A figure in parentheses is a related test's: context, never a verdict.`);
  const flagged = report.results.filter((r) => r.comparability !== 'comparable');
  if (flagged.length) out.push('', ...flagged.map((r) => `- **${r.comparability}** ${cell(`${r.eval}:${r.variant}`)}: ${cell(r.comparability_reason)}`));
  const floored = report.results.filter((r) => r.floor);
  if (floored.length) out.push('', ...floored.map((r) => `- ${r.below_floor ? '**❌ under its floor**' : 'floor met'} ${cell(`${r.eval}:${r.variant}`)}: ${cell(floorText(r))}`));
  const open = report.results.filter((r) => r.verdict === 'inconclusive');
  if (open.length) out.push('', ...open.map((r) => `- **inconclusive** ${cell(`${r.eval}:${r.variant}`)}: ${cell(r.verdict_reason ?? '')}`));
  const undecided = report.results.filter((r) => r.headline && r.uncertain > 0);
  if (undecided.length) {
    out.push('', ...undecided.map((r) => `- ${cell(`${r.eval}:${r.variant}`)}: ${r.uncertain} uncertain grades; the score ${num(r.score)} is the grader's best guess, between ${num(r.score_bounds![0])} and ${num(r.score_bounds![1])}`));
  }
  const context = report.results.map((r) => [r, contextFigures(r, report.run.reference_document)] as const).filter(([, c]) => c.length);
  if (context.length) {
    out.push('', ...context.map(([r, c]) => `- context, a related test (never verdicted), ${cell(`${r.eval}:${r.variant}`)}: ${c.map((p) => cell(`${p.document} ${p.table} ${p.model} ${num(p.value)}`)).join(', ')}`));
  }
  const unanswered = report.results.filter((r) => r.headline && (r.no_answer > 0 || r.truncated > 0));
  if (unanswered.length) {
    out.push('', ...unanswered.map((r) => `- ${cell(`${r.eval}:${r.variant}`)}: ${r.no_answer} items had no answer (counted as failures; ${num(r.score_answered)} among answered items), ${r.truncated} answers were cut off by the token limit (graded on what they say)`));
  }
  const broken = report.results.filter((r) => r.breakdown?.length);
  for (const r of broken) {
    const bd = r.breakdown!.map((b) => [cell(b.by), cell(b.key), num(b.score), interval(b.ci95), String(b.n), String(b.n - b.passed)]);
    out.push('', `<details><summary>${cell(`${r.eval}:${r.variant}`)} by ${[...new Set(r.breakdown!.map((b) => b.by))].map(cell).join(', ')}</summary>`, '',
      ...table(['by', 'key', 'score', '95% CI', 'n', 'failed'], ['l', 'l', 'r', 'r', 'r', 'r'], bd), '', '</details>');
  }
  const notes = [...new Set(report.results.flatMap((r) => (r.notes ?? []).map((n) => `${r.eval}: ${n}`)))];
  if (notes.length) out.push('', ...notes.map((n) => `- ${cell(n)}`));
  return out.join('\n') + '\n';
}

export function renderComparisonMarkdown(cmp: Comparison): string {
  const verdict = verdictLine(cmp);
  const failed = cmp.regressions > 0 || cmp.unscored.failed;
  const out = [
    '## cardeval comparison',
    '',
    `Candidate ${code(cmp.candidate.id)} (model ${code(cmp.candidate.model)}) against base ${code(cmp.base.id)} (model ${code(cmp.base.model)}), ` +
      `${cmp.items.shared} paired items.`,
    '',
    failed ? `**❌ ${cell(verdict)}**` : cmp.inconclusive > 0 ? `**⚠️ ${cell(verdict)}**` : `**✅ ${cell(verdict)}**`,
    '',
  ];
  for (const w of cmp.warnings) out.push(`> **warning:** ${cell(w)}`, '');
  // Regressions first, then inconclusive rows, then the rest collapsed, each group in the comparison's order.
  const ordered = [...cmp.results].sort((a, b) => rankOfRow(a) - rankOfRow(b));
  const confidence = Math.round((1 - cmp.alpha) * 100);
  const cells = (r: Comparison['results'][number]) => [
    cell(r.eval),
    cell(r.variant),
    r.gated ? cell(r.metric) : `(${cell(r.metric)})`,
    r.higher_is_better ? 'higher' : 'lower',
    String(r.n),
    `${num(r.base_score)} (${interval(r.base_ci95)})`,
    `${num(r.candidate_score)} (${interval(r.candidate_ci95)})`,
    r.difference === null ? '—' : `${signed(r.difference)} (${interval(r.difference_bounds, signed, ' to ')})`,
    r.n ? pValue(r.p_value) : '—',
    r.n ? pValue(r.p_holm ?? r.p_regression) : '—',
    String(r.pass_to_fail),
    String(r.fail_to_pass),
    r.regression ? `**${cell(outcomeLabel(r))}**` : cell(outcomeLabel(r)),
  ];
  const rowsTable = (rows: Comparison['results']) =>
    table(
      ['eval', 'variant', 'metric', 'better', 'n', 'base (95% CI)', 'candidate (95% CI)', `difference (${confidence}% bounds each)`, 'p', 'p drop > max', 'fell', 'rose', 'outcome'],
      ['l', 'l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
      rows.map(cells),
    );
  const attention = ordered.filter((r) => rankOfRow(r) < 2);
  const rest = ordered.filter((r) => rankOfRow(r) === 2);
  if (attention.length) out.push(...rowsTable(attention));
  if (rest.length) {
    const summary = `${attention.length ? `${rest.length} other ${rest.length === 1 ? 'row' : 'rows'}` : `All ${rest.length} ${rest.length === 1 ? 'row' : 'rows'}`}: unchanged, equivalent, improved or not gated`;
    out.push('', `<details><summary>${summary}</summary>`, '', ...rowsTable(rest), '', '</details>');
  }
  const flips: string[] = [];
  for (const r of ordered) {
    for (const [dir, ids] of [['fell', r.flipped.pass_to_fail], ['rose', r.flipped.fail_to_pass]] as const) {
      if (ids.length === 0) continue;
      const more = ids.length > flipCap ? ` and ${ids.length - flipCap} more` : '';
      flips.push(`- **${cell(rowName(r))}**, ${dir} (${ids.length}): ${ids.slice(0, flipCap).map(code).join(', ')}${more}`);
    }
  }
  if (flips.length) out.push('', '<details><summary>Samples whose score changed</summary>', '', ...flips, '', '</details>');
  out.push('', `Rows in parentheses are shown, not gated. n counts samples (each the mean of its epochs). p: two-sided sign-flip test of ` +
    `no difference on the samples' clusters (exact McNemar with one epoch); p drop > max: one-sided test that the drop exceeds the max drop ` +
    `(${cmp.max_drop}), Holm-adjusted across the gated rows. A regression: that test is significant at ${cmp.alpha}; equivalent: the ` +
    `lower bound is above −${cmp.max_drop}; inconclusive: neither could be shown on these samples.`);
  return out.join('\n') + '\n';
}
