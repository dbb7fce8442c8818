// checkGrade: a grade of the common shape passes without the schema, and every grade the schema refuses is still
// refused, with the field named, whether or not it looks like the common shape.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import type { Grade } from '../../core/types.js';
import { checkGrade } from '../../harness/run.js';

const check = (grade: unknown) => () => checkGrade(grade as Grade, 'e');

describe('checkGrade', () => {
  it('returns a valid grade as it is, with or without the optional fields', () => {
    const bare = { pass: true, reason: 'r' };
    expect(checkGrade(bare, 'e')).toBe(bare);
    const full = { pass: false, reason: 'r', evidence: 'x', uncertain: true, details: { form: 'digits', nested: [1, { a: null }] } };
    expect(checkGrade(full, 'e')).toBe(full);
    const numbers = { pass: true, reason: 'r', score: 0.5, metrics: { m: 1 } };
    expect(checkGrade(numbers, 'e')).toBe(numbers);
    const noPrototype = { pass: true, reason: 'r', details: Object.assign(Object.create(null), { a: 1 }) };
    expect(checkGrade(noPrototype, 'e')).toBe(noPrototype);
  });

  for (const [what, grade, field] of [
    ['pass as a string', { pass: 'yes', reason: 'r' }, 'pass'],
    ['no reason', { pass: true }, 'reason'],
    ['a numeric reason', { pass: true, reason: 1 }, 'reason'],
    ['numeric evidence', { pass: true, reason: 'r', evidence: 3 }, 'evidence'],
    ['uncertain as a string', { pass: true, reason: 'r', uncertain: 'no' }, 'uncertain'],
    ['details as an array', { pass: true, reason: 'r', details: ['a'] }, 'details'],
    ['details null', { pass: true, reason: 'r', details: null }, 'details'],
    ['details as a Map', { pass: true, reason: 'r', details: new Map([['a', 1]]) }, 'details'],
    ['a NaN score', { pass: true, reason: 'r', score: Number.NaN }, 'score'],
    ['a metric over 1', { pass: true, reason: 'r', metrics: { m: 2 } }, 'metrics.m'],
    ['null', null, '(grade)'],
    ['an array', [true, 'r'], '(grade)'],
  ] as const) {
    it(`refuses ${what}, naming the field`, () => {
      expect(check(grade)).toThrow(ConfigError);
      expect(check(grade)).toThrow(`eval e: grade() returned an invalid Grade: field "${field}": `);
    });
  }
});
