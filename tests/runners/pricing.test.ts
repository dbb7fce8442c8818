import { describe, it, expect } from 'vitest';
import { costOf, priceFor, priceTable, type PriceTable } from '../../runners/pricing.js';

const usage = (prompt: number, completion: number, cached = 0) => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
  cached_tokens: cached,
});

describe('costOf', () => {
  it('prices input and output per million tokens', () => {
    // o3-mini: $1.10 in, $4.40 out per 1M.
    expect(costOf('o3-mini', usage(1_000_000, 1_000_000)).usd).toBeCloseTo(5.5, 10);
  });

  it('prices a dated snapshot as its model family', () => {
    const cost = costOf('o3-mini-2025-01-31', usage(1000, 500));
    expect(cost.known).toBe(true);
    expect(cost.priced_as).toBe('o3-mini');
    expect(cost.usd).toBeCloseTo(0.0033, 10);
  });

  it('prefers a snapshot listed on its own over its family', () => {
    expect(priceFor('gpt-4o-2024-05-13')?.entry).toBe('gpt-4o-2024-05-13');
    expect(priceFor('gpt-4o-2024-08-06')?.entry).toBe('gpt-4o');
  });

  it('halves the price in batch', () => {
    const standard = costOf('gpt-4o', usage(2000, 300)).usd!;
    expect(costOf('gpt-4o', usage(2000, 300), { batch: true }).usd).toBeCloseTo(standard / 2, 12);
  });

  it('bills cached prompt tokens at the cached-input price', () => {
    // gpt-4o: $2.50 in, $1.25 cached; 1M prompt of which half cached, no output.
    expect(costOf('gpt-4o', usage(1_000_000, 0, 500_000)).usd).toBeCloseTo(1.875, 10);
  });

  it('bills cached tokens as input where the model has no cached price', () => {
    const table: PriceTable = { version: 't', batch_discount: 0.5, models: { m: { input: 2, cached_input: null, output: 0 } } };
    expect(costOf('m', usage(1_000_000, 0, 1_000_000), {}, table).usd).toBeCloseTo(2, 10);
  });

  it('reports an unknown model as unknown, not as free', () => {
    const cost = costOf('llama-3-70b', usage(1000, 1000));
    expect(cost.known).toBe(false);
    expect(cost.usd).toBeNull();
  });

  it('prices the mock models so tests can check costs', () => {
    expect(costOf('mock-hierarchy-2026-01-01', usage(1_000_000, 0)).usd).toBeCloseTo(1, 10);
  });

  it('says which price table it used', () => {
    expect(costOf('o1', usage(1, 1)).price_version).toBe(priceTable.version);
  });
});

describe('prices.json', () => {
  it('has input, cached input and output for every model cardeval is run against', () => {
    for (const model of ['o3-mini', 'o1', 'o3', 'o4-mini', 'gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-5', 'gpt-5-mini', 'gpt-5-nano']) {
      const price = priceTable.models[model];
      expect(price, model).toBeDefined();
      expect(price.input, model).toBeGreaterThan(0);
      expect(price.output, model).toBeGreaterThan(price.input);
      expect(price.cached_input, model).toBeLessThan(price.input);
    }
  });

  it('discounts batch by half', () => {
    expect(priceTable.batch_discount).toBe(0.5);
  });
});
