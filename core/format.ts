// The one way numbers and tables are printed: scores and differences to 2 decimals, p-values to 3, text tables in columns.

/** A score, proportion or published value: two decimals; '—' when there is none. */
export function formatScore(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : v.toFixed(2);
}

/** A difference with its sign (a true minus sign); '—' when there is none. */
export function formatSigned(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : (v > 0 ? '+' : v < 0 ? '−' : '') + Math.abs(v).toFixed(2);
}

/** A p-value: three decimals, '<0.001' below that; '—' when there is none. */
export function formatPValue(p: number | null | undefined): string {
  return p === null || p === undefined ? '—' : p < 0.001 ? '<0.001' : p.toFixed(3);
}

/**
 * Rows as text columns two spaces apart, the first row a header; `rule` adds a dashed line under it, `right(i)` right-
 * aligns column i (numbers). Trailing spaces are trimmed.
 */
export function formatTable(rows: string[][], { rule = false, right = () => false }: { rule?: boolean; right?: (column: number) => boolean } = {}): string[] {
  if (rows.length === 0) return [];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => widths.map((w, i) => (right(i) ? (r[i] ?? '').padStart(w) : (r[i] ?? '').padEnd(w))).join('  ').trimEnd();
  const [header, ...body] = rows;
  return [line(header), ...(rule ? [widths.map((w) => '-'.repeat(w)).join('  ')] : []), ...body.map(line)];
}

/**
 * ' (mock prices, not a real cost)' after a mock model's cost, else ''. runners/prices.json prices the mock models
 * (mock-*) only so the cost arithmetic can be tested: no one paid it.
 */
export function mockPriceNote(model: string): string {
  return model.startsWith('mock-') ? ' (mock prices, not a real cost)' : '';
}

/** Dollars as a person reads them: cents from $1 up, four decimals below (a budget of $0.002 is not "$0.00"). */
export function usd(amount: number): string {
  return `$${Math.abs(amount) >= 1 ? amount.toFixed(2) : amount.toFixed(4)}`;
}

/** What a run spent against its `--max-cost`, and by how much it went over when it did. */
export function budgetText(spent: number, maxCost: number | undefined): string {
  if (maxCost === undefined) return `${usd(spent)} spent`;
  if (spent > maxCost) return `${usd(spent)} spent, over --max-cost ${usd(maxCost)} by ${usd(spent - maxCost)}`;
  return `${usd(spent)} spent of --max-cost ${usd(maxCost)}`;
}
