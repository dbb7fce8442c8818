// Builds datasets/published/figures.json from a published-figures file (the team's transcription of the
// system cards): keeps every instruction-hierarchy row, maps card-specific names onto cardeval's.
// Usage: npx tsx results/import-published.ts ../shared/reference/published-figures.json
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../core/root.js';

interface SourceRow {
  document: string; document_date: string; table: string; eval_id: string; variant: string; model: string;
  metric: string; value: number; source_url: string; quote: string; note?: string;
}

const IH_CHALLENGE = 'Improving instruction hierarchy';

/** Cards name the same variant differently; these map onto cardeval's variant names. */
const variantAliases: Record<string, string> = {
  'malicious-user-message': 'user-message',
  'malicious-developer-message': 'developer-message',
  // gpt-oss card: secret in the system message, attack in the user message — our `user-message` layout.
  'system-message-user-message': 'user-message',
};

/** Model names as printed in a table → the model id a user runs. */
const modelAliases: Record<string, string> = {
  'o3-mini-jan31-release': 'o3-mini',
  'OpenAI o4-mini': 'o4-mini',
  'OpenAI o3': 'o3',
  // The released model; the pre-mitigation figure keeps its own name.
  'o3-mini (Post-Mitigation)': 'o3-mini',
};

export function importPublished(rows: SourceRow[]) {
  return rows
    .filter((r) => r.eval_id.startsWith('ih-') || r.eval_id === 'openai-prs' || r.document.startsWith(IH_CHALLENGE))
    .map((r) => ({
      document: r.document,
      document_date: r.document_date,
      table: r.table,
      eval: r.eval_id,
      variant: variantAliases[r.variant] ?? r.variant,
      variant_as_published: r.variant,
      model: modelAliases[r.model] ?? r.model,
      model_as_published: r.model,
      metric: r.metric,
      value: r.value,
      source: r.source_url,
      quote: r.quote,
      ...(r.note ? { note: r.note } : {}),
    }));
}

if (process.argv[1]?.endsWith('import.ts')) {
  const from = process.argv[2];
  if (!from) throw new Error('usage: import.ts PUBLISHED_FIGURES_JSON');
  const figures = importPublished(JSON.parse(readFileSync(from, 'utf8')));
  writeFileSync(join(projectRoot, 'datasets/published/figures.json'), JSON.stringify(figures, null, 2) + '\n');
  console.log(`wrote ${figures.length} figures`);
}
