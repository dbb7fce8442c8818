import { describe, expect, it } from 'vitest';
import { evaluateArithmetic, formatRational } from '../../../evals/tutor/rational.js';

describe('evaluateArithmetic', () => {
  // Expected values from Python's fractions.Fraction (exact), not from this code.
  it.each([
    ['0.1 + 0.2', '3/10'],
    ['1200 * 2^5', '38400'],
    ['-2^2', '-4'],
    ['2^-2', '1/4'],
    ['2^3^2', '512'],
    ['(3.5 + 1.5) * 6 / 4', '15/2'],
    ['10 - 4 - 3', '3'],
    ['48 * 75/100', '36'],
    ['7 / 3', '7/3'],
    ['- (4 - 10) * 2', '12'],
  ])('%s is exactly %s', (text, expected) => {
    const value = evaluateArithmetic(text);
    expect(value && (value.d === 1n ? value.n.toString() : `${value.n}/${value.d}`)).toBe(expected);
  });

  it.each(['', '3 +', '(2 + 3', '2 3', '1.2.3', '5 / 0', '2^0.5', '2^1001', 'x + 1', '4 * (1 - 1)^-1'])('%j is not a value', (text) => {
    expect(evaluateArithmetic(text)).toBeUndefined();
  });

  it('keeps decimals exact where floats drift', () => {
    expect(formatRational(evaluateArithmetic('0.1 * 3')!)).toBe('0.3');
  });
});
