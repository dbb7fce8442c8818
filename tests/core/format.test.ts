// The one number and table formatting: fixed precisions, a true minus sign, '<0.001', columns aligned as asked.
import { describe, it, expect } from 'vitest';
import { formatPValue, formatScore, formatSigned, formatTable } from '../../core/format.js';

describe('number formatting', () => {
  it('scores to two decimals, none as a dash', () => {
    expect([formatScore(0.955), formatScore(1), formatScore(null), formatScore(undefined)]).toEqual(['0.95', '1.00', '—', '—']);
  });

  it('differences with their sign, a true minus, zero unsigned', () => {
    expect([formatSigned(0.125), formatSigned(-0.05), formatSigned(0), formatSigned(null)]).toEqual(['+0.13', '−0.05', '0.00', '—']);
  });

  it('p-values to three decimals, <0.001 below', () => {
    expect([formatPValue(0.0009), formatPValue(0.001), formatPValue(0.04567), formatPValue(1), formatPValue(null)]).toEqual(['<0.001', '0.001', '0.046', '1.000', '—']);
  });
});

describe('formatTable', () => {
  it('pads columns two spaces apart, right-aligns the asked ones, rules under the header, trims line ends', () => {
    expect(formatTable([['name', 'n', 'note'], ['alpha', '7', ''], ['b', '123', 'x']], { rule: true, right: (i) => i === 1 })).toEqual([
      'name     n  note',
      '-----  ---  ----',
      'alpha    7',
      'b      123  x',
    ]);
  });
});
