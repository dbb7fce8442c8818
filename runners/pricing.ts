// What a completion cost in USD, from the versioned price table in prices.json; an unknown price stays unknown, never 0.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../core/root.js';
import type { Usage } from '../core/wire.js';

/** USD per 1M tokens. `cached_input: null` means no cached-input discount: cached tokens bill as input. */
export interface Price {
  input: number;
  cached_input: number | null;
  output: number;
}

export interface PriceTable {
  version: string;
  batch_discount: number;
  models: Record<string, Price>;
}

export interface Cost {
  /** null when the model's price is not in the table. */
  usd: number | null;
  known: boolean;
  /** The table entry that priced it (e.g. `o3-mini` for `o3-mini-2025-01-31`). */
  priced_as?: string;
  /** The price table's version, so a stored cost says which prices it used. */
  price_version: string;
}

export const priceTable: PriceTable = JSON.parse(readFileSync(join(projectRoot, 'runners', 'prices.json'), 'utf8'));

/**
 * The entry for a model id: the id itself, else the id without a dated snapshot suffix (`-2025-01-31`),
 * else a `prefix-*` entry.
 */
export function priceFor(model: string, table: PriceTable = priceTable): { entry: string; price: Price } | undefined {
  // Asked for every completion, so each model id is looked up once per table.
  let found = lookups.get(table);
  if (!found) lookups.set(table, (found = new Map()));
  if (!found.has(model)) found.set(model, lookUpPrice(model, table));
  return found.get(model);
}

const lookups = new WeakMap<PriceTable, Map<string, { entry: string; price: Price } | undefined>>();

function lookUpPrice(model: string, table: PriceTable): { entry: string; price: Price } | undefined {
  const undated = model.replace(/-\d{4}-\d{2}-\d{2}$/, '');
  for (const id of [model, undated]) if (table.models[id]) return { entry: id, price: table.models[id] };
  const wildcard = Object.keys(table.models).find((id) => id.endsWith('*') && model.startsWith(id.slice(0, -1)));
  return wildcard ? { entry: wildcard, price: table.models[wildcard] } : undefined;
}

/**
 * @example
 * costOf('o3-mini-2025-01-31', { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 }, { batch: true }).usd // 0.00165
 */
export function costOf(model: string, usage: Usage, options: { batch?: boolean } = {}, table: PriceTable = priceTable): Cost {
  const found = priceFor(model, table);
  if (!found) return { usd: null, known: false, price_version: table.version };
  const { input, cached_input, output } = found.price;
  const cached = Math.min(usage.cached_tokens ?? 0, usage.prompt_tokens);
  const perMillion = (usage.prompt_tokens - cached) * input + cached * (cached_input ?? input) + usage.completion_tokens * output;
  const discount = options.batch ? table.batch_discount : 1;
  return { usd: (perMillion / 1_000_000) * discount, known: true, priced_as: found.entry, price_version: table.version };
}
