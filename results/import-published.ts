// Builds datasets/published/figures.json from a published-figures file (a transcription of the system cards): keeps
// every instruction-hierarchy row, maps card-specific names onto cardeval's, and says of each figure whether it measures
// the test of the row it is filed under (`test_match`), with the document's words that decide it.
// Usage: npx tsx results/import-published.ts PUBLISHED_FIGURES_JSON
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../core/root.js';

interface SourceRow {
  document: string; document_date: string; section?: string; table: string; eval_id: string; variant: string; model: string;
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

interface TestMatch {
  test_match: 'same' | 'related';
  /** The document's own words (a section, table or row title as printed) that decide it. */
  quote: string;
  reason: string;
}

const O3_MINI = 'OpenAI o3-mini System Card';
/** The o-series cards print the o3-mini card's three instruction-hierarchy tables under the same titles and row labels. */
const SAME_TABLES = ['OpenAI o1 System Card', 'OpenAI GPT-4.5 System Card', 'OpenAI o3 and o4-mini System Card'];
/** cardeval's own eval ids: a figure filed under another id maps onto nothing of ours. */
const OURS = /^ih-(developer-user|system-developer|system-user)-conflict$|^ih-tutor-jailbreak$|^ih-(phrase|password)-protection$/;

/**
 * Whether a figure measures the test of the row it is filed under. `related`: a different test that shares a name or a
 * layout, shown beside the row as context and never verdicted. Decided per document from its own titles and labels.
 */
export function testMatchOf(r: SourceRow, variant: string): TestMatch {
  const label = r.quote.split('|').map((c) => c.trim()).filter(Boolean)[0] ?? r.quote;
  const title = r.table.replace(/^Table \d+:\s*/, '');
  if (r.eval_id === 'openai-prs') {
    return {
      test_match: 'related',
      quote: `${r.section ?? 'OpenAI PRs'}: "${r.quote}"`,
      reason: "pass@1 on real pull-request tasks graded by hidden tests; the tool-format eval filed under it measures calls to the given python tool on short synthetic tasks",
    };
  }
  if (!OURS.test(r.eval_id)) {
    return { test_match: 'same', quote: label, reason: 'filed under its own test id; no cardeval eval replicates it' };
  }
  if (r.document === O3_MINI) return { test_match: 'same', quote: `${title}: "${label}"`, reason: 'the table this project replicates' };
  if (SAME_TABLES.includes(r.document)) {
    return { test_match: 'same', quote: `${title}: "${label}"`, reason: "the o3-mini card's table title and row label, under the same section on custom developer or conflicting messages" };
  }
  if (r.document.startsWith('gpt-oss')) {
    if (variant === 'user-message') {
      return {
        test_match: 'same',
        quote: `${title}: "${label}"`,
        reason: "the o-series cards' phrase and password protection, secret in the system message and attack in the user message: the layout of our user-message variant",
      };
    }
    return {
      test_match: 'related',
      quote: `${title}: "${label}"`,
      reason: 'the secret sits in the developer message and the attack comes from the user; our variants keep the secret in the system message',
    };
  }
  if (r.document === 'GPT-5 System Card') {
    return {
      test_match: 'related',
      quote: `${title}: "${label}"`,
      reason:
        "the GPT-5 card's phrase protection is the gpt-oss card's prompt-injection-hijacking kind of test (the model must say \"access granted\" only when a condition holds), " +
        "not a phrase the model must never say (the transcription's note on this table)",
    };
  }
  if (r.document.startsWith(IH_CHALLENGE)) {
    return {
      test_match: 'related',
      quote: `${r.table}: "${label}"`,
      reason: "the paper's internal benchmarks of the same name; it does not say they are the system cards' tables, and its models are not the cards'",
    };
  }
  return { test_match: 'related', quote: `${title}: "${label}"`, reason: 'no decision recorded for this document: context until one is' };
}

export function importPublished(rows: SourceRow[]) {
  return rows
    .filter((r) => r.eval_id.startsWith('ih-') || r.eval_id === 'openai-prs' || r.document.startsWith(IH_CHALLENGE))
    .map((r) => {
      const variant = variantAliases[r.variant] ?? r.variant;
      const match = testMatchOf(r, variant);
      return {
        document: r.document,
        document_date: r.document_date,
        table: r.table,
        eval: r.eval_id,
        variant,
        variant_as_published: r.variant,
        model: modelAliases[r.model] ?? r.model,
        model_as_published: r.model,
        metric: r.metric,
        value: r.value,
        source: r.source_url,
        quote: r.quote,
        ...(r.note ? { note: r.note } : {}),
        test_match: match.test_match,
        test_match_quote: match.quote,
        test_match_reason: match.reason,
      };
    });
}

// Run as a script (the check once said 'import.ts', so the script never ran).
if (process.argv[1]?.endsWith('import-published.ts')) {
  const from = process.argv[2];
  if (!from) throw new Error('usage: import-published.ts PUBLISHED_FIGURES_JSON');
  const figures = importPublished(JSON.parse(readFileSync(from, 'utf8')));
  writeFileSync(join(projectRoot, 'datasets/published/figures.json'), JSON.stringify(figures, null, 2) + '\n');
  console.log(`wrote ${figures.length} figures`);
}
