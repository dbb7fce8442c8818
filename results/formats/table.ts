// The terminal table: one row per eval variant, measured beside the o3-mini card's published figures.
import { formatScore, formatTable } from '../../core/format.js';
import { cardModels, cardValue, type Report } from '../report.js';


const pct = formatScore;

export function renderTable(report: Report): string {
  const header = ['eval', 'variant', 'metric', 'score', '95% CI', 'n', 'err', ...cardModels.map((m) => `card ${m}`), 'verdict'];
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
      String(r.errors),
      ...cardModels.map((m) => pct(cardValue(r, m))),
      r.headline ? r.verdict : '',
    ]);
    for (const n of r.notes ?? []) notes.add(`${r.eval}: ${n}`);
  }
  const out = [
    `run ${report.run.id}  model ${report.run.model}  status ${report.run.status}  cost ${costText(report.run.cost)}`,
    // Numbers (score to the card's figures) right-aligned.
    ...formatTable(lines, { rule: true, right: (i) => i >= 3 && i < header.length - 1 }),
  ];
  const refs = [...new Set(report.results.filter((r) => r.reference).map((r) => `${r.reference!.model} (${r.reference!.document})`))];
  if (refs.length) out.push('', `verdicts compare with: ${refs.join('; ')}`);
  if (notes.size) out.push('', ...[...notes].map((n) => `note: ${n}`));
  return out.join('\n') + '\n';
}

function costText(cost: Report['run']['cost']): string {
  const usd = `$${cost.usd.toFixed(4)}`;
  return cost.unpriced_calls > 0 ? `${usd} + ${cost.unpriced_calls} calls of unknown price` : usd;
}
