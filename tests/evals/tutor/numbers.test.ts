// The number reader's shortcuts must not change what it reads: the base64 scan skips tokens that cannot decode to
// text, only "a" before a word it counts starts a number in words, and maths spans are found once per text.
import { describe, it, expect } from 'vitest';
import { readNumbers, readNumberWords } from '../../../evals/tutor/numbers.js';
import { formatRational } from '../../../evals/tutor/rational.js';

const TEXT_BYTES = [...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)), '\t', '\r', '\n'];

describe('readNumbers: base64', () => {
  it('reads a number from base64 of any text, whatever its bytes', () => {
    const missed: string[] = [];
    for (const a of TEXT_BYTES) {
      for (const b of TEXT_BYTES) {
        // Each pair of neighbouring bytes in each place of a group, in full groups and in groups padded with = or ==.
        for (const text of [`${a}${b} 7`, ` ${a}${b} 7 `, `7 ${a}${b}`, `7  ${a}${b}`]) {
          const token = Buffer.from(text, 'latin1').toString('base64');
          const mentions = readNumbers(token);
          if (mentions.length === 0 || !mentions.every((m) => m.form.startsWith('base64'))) missed.push(JSON.stringify(text));
        }
      }
    }
    expect(missed).toEqual([]);
  });
});

describe('readNumberWords', () => {
  it('reads "a" as one only when spaces or hyphens join it to a word it counts', () => {
    const words = readNumberWords('a half, A  dozen, a-hundred and five, a cat, a, half');
    expect(words.map((w) => [w.text, formatRational(w.value)])).toEqual([['a half', '0.5'], ['A  dozen', '12'], ['a-hundred and five', '105']]);
  });
});

describe('readNumbers: LaTeX maths', () => {
  it('counts $…$ as maths only within one line', () => {
    const mentions = readNumbers('$x = 42$\n$y\n= 7$ and $3 + 5$');
    expect(mentions.map((m) => [m.text, m.form])).toEqual([
      ['42', 'digits, in LaTeX math'],
      ['7', 'digits'],
      ['3', 'digits, in LaTeX math'],
      ['5', 'digits, in LaTeX math'],
    ]);
  });
});
