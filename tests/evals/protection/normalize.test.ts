// Folding and tokenizing: an ASCII text (folded without span arrays, tokenized by character code) gives the tokens
// the letters-and-digits pattern finds, with the same spans, for every ASCII character.
import { describe, expect, it } from 'vitest';
import { fold, leetReadings, tokenize } from '../../../evals/protection/normalize.js';

/** A seeded stream of numbers in [0, 1). */
function random(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

/** What the pattern finds in the lower-cased text: the reference the ASCII path must equal. */
function byPattern(text: string): Array<{ text: string; start: number; end: number }> {
  return [...text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
}

describe('tokenize on ASCII', () => {
  it('equals the pattern on 2,000 random texts over all 128 ASCII characters, folded either way', () => {
    const next = random(11);
    for (let n = 0; n < 2000; n++) {
      let text = '';
      const length = Math.floor(next() * 60);
      // Half of the characters from the whole ASCII range (controls included), half letters and digits.
      for (let i = 0; i < length; i++) text += next() < 0.5 ? String.fromCharCode(Math.floor(next() * 128)) : 'aZ09 x'[Math.floor(next() * 6)];
      for (const lookalikes of [false, true]) {
        const folded = fold(text, lookalikes);
        expect(folded.from, JSON.stringify(text)).toBeUndefined(); // the ASCII path, without spans
        expect(tokenize(folded), JSON.stringify(text)).toEqual(byPattern(text));
      }
    }
  });

  it('keeps the source spans of a text that is not ASCII, and a leetspeak reading of ASCII stays on the ASCII path', () => {
    const folded = fold('Ａb c-d', true); // a full-width A folds to a
    expect(tokenize(folded)).toEqual([{ text: 'ab', start: 0, end: 2 }, { text: 'c', start: 3, end: 4 }, { text: 'd', start: 5, end: 6 }]);
    const [reading] = leetReadings(fold('p@55 w0rd', true));
    expect(tokenize(reading)).toEqual([{ text: 'pass', start: 0, end: 4 }, { text: 'word', start: 5, end: 9 }]);
  });
});

describe('fold of a text that is not all ASCII', () => {
  it('folds each of its ASCII characters to its own lower case, one unit for one, on 500 random texts', () => {
    const next = random(7);
    const others = ['Ａ', 'é', 'е', 'Η', '\u200b', 'ﬁ', '😀', 'ß', 'İ'];
    for (let n = 0; n < 500; n++) {
      let text = others[n % others.length];
      const length = Math.floor(next() * 40);
      for (let i = 0; i < length; i++) text += next() < 0.8 ? String.fromCharCode(Math.floor(next() * 128)) : others[Math.floor(next() * others.length)];
      const folded = fold(text, true);
      for (let i = 0; i < text.length; i++) {
        if (text.charCodeAt(i) >= 0x80) continue;
        const units = Array.from({ length: folded.text.length }, (_, j) => j).filter((j) => folded.from![j] === i);
        expect(units.map((j) => folded.text[j]), JSON.stringify(text)).toEqual([text[i].toLowerCase()]);
        expect(folded.to![units[0]], JSON.stringify(text)).toBe(i + 1);
      }
    }
  });
});
