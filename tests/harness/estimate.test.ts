import { describe, it, expect } from 'vitest';
import { renderEstimate, type Estimate } from '../../harness/estimate.js';

const estimate = (model: string, usd: number | null, batch = false): Estimate => ({ model, requests: 10, promptTokens: 1000, completionTokens: 5000, usd, batch });
const costLine = (e: Estimate) => renderEstimate(e).split('\n').find((l) => l.startsWith('estimated cost:'));

describe('renderEstimate', () => {
  it('prints the estimated cost, the batch price named as such', () => {
    expect(costLine(estimate('o3-mini', 1.234))).toBe('estimated cost: about $1.23');
    expect(costLine(estimate('o3-mini', 0.5, true))).toBe('estimated cost: about $0.50 (batch price)');
  });

  it('says when the price is unknown instead of printing $0', () => {
    expect(costLine(estimate('my-local-model', null))).toBe('estimated cost: unknown: the price table has no entry for my-local-model');
  });

  it("says a mock model's estimate is at mock prices, not a real cost", () => {
    expect(costLine(estimate('mock-hierarchy', 1.42))).toBe('estimated cost: about $1.42 (mock prices, not a real cost)');
  });
});
