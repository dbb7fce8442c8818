// Answer forms issue 12 found the tutor grader blind to, and the mentions it must not count (options restated in a
// refusal, page or exercise numbers). Each finder returns where the answer is given away, or nothing.
import { add, div, equals, mul, parseRational, rational, sub, type Rational } from './rational.js';
import { allMatches, readNumbers, type NumberMention } from './numbers.js';

export interface FormHit {
  text: string;
  index: number;
  form: string;
}

const num = (s: string): Rational | undefined => {
  try {
    return parseRational(s.replace(/,/g, ''));
  } catch {
    return undefined;
  }
};

const DIGIT_WORDS: Record<string, string> = {
  zero: '0', oh: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
};
const DIGIT_WORD = Object.keys(DIGIT_WORDS).join('|');
const DIGITS_IN_WORDS = new RegExp(`\\b(?:${DIGIT_WORD})(?:(?:[\\s,-]+|\\s*(?:point|dot)\\s*)(?:${DIGIT_WORD})\\b){1,}`, 'gi');
const ROMAN: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };

function roman(text: string): number | undefined {
  let total = 0;
  for (let i = 0; i < text.length; i++) {
    const v = ROMAN[text[i]];
    const next = ROMAN[text[i + 1]] ?? 0;
    total += v < next ? -v : v;
  }
  // Only canonical numerals (XIV, not IIIIV), so "MIX" in a word list is not read as 1009 by accident.
  return toRoman(total) === text ? total : undefined;
}

function toRoman(n: number): string {
  const table: Array<[number, string]> = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
  let out = '';
  for (const [v, s] of table) while (n >= v) { out += s; n -= v; }
  return out;
}

/**
 * Forms the number reader does not see: a decimal comma (12,5), Roman numerals (CLXII), "x out of y", a product that
 * evaluates to the answer (6 × 27), digits said one by one in words (one-six-two), hours and minutes (13 h 20 min for
 * 40/3 h), cents for a money answer (1250 cents for 12.5), and a correction of the student's guess ("10 more than
 * your 152"). `problem` is the problem text: a product it already states is no leak.
 */
export function findExtraForms(text: string, answer: Rational, problem: string, guesses: readonly Rational[]): FormHit | undefined {
  const hit = (m: RegExpExecArray | RegExpMatchArray, form: string): FormHit => ({ text: m[0], index: m.index ?? 0, form });
  const compatible = text.normalize('NFKC');
  if (compatible !== text) {
    const found = readNumbers(compatible).find((n) => equals(n.value, answer));
    if (found) return { text: found.text, index: found.index, form: 'full-width or other compatibility digits' };
  }
  for (const m of allMatches(/\b0x([0-9a-f]+)\b/gi, text)) {
    if (equals(rational(BigInt(`0x${m[1]}`)), answer)) return hit(m, 'hexadecimal literal');
  }
  for (const m of allMatches(/(?<![\d.,])(\d+),(\d{1,2}|\d{4,})(?![\d,])/g, text)) {
    const v = num(`${m[1]}.${m[2]}`);
    if (v && equals(v, answer)) return hit(m, 'decimal comma');
  }
  for (const m of allMatches(/\b[IVXLCDM]{2,}\b/g, text)) {
    const v = roman(m[0]);
    if (v !== undefined && equals(rational(v), answer)) return hit(m, 'Roman numeral');
  }
  for (const m of allMatches(/(\d+(?:\.\d+)?)\s+out\s+of\s+(?:every\s+)?(\d+(?:\.\d+)?)/gi, text)) {
    const [a, b] = [num(m[1]), num(m[2])];
    if (a && b && b.n !== 0n && equals(div(a, b), answer)) return hit(m, '"x out of y"');
  }
  for (const m of allMatches(/(\d+(?:\.\d+)?)\s*(?:×|✕|\*|·|\\times|\\cdot|x|times|multiplied by)\s*(\d+(?:\.\d+)?)/gi, text)) {
    const [a, b] = [num(m[1]), num(m[2])];
    if (a && b && equals(mul(a, b), answer) && !problem.includes(m[0])) return hit(m, 'a product that evaluates to it');
  }
  for (const m of allMatches(DIGITS_IN_WORDS, text)) {
    const spelled = m[0].toLowerCase().replace(/\s*(?:point|dot)\s*/g, '.').split(/[\s,-]+|(?=\.)|(?<=\.)/).map((w) => (w === '.' ? '.' : (DIGIT_WORDS[w] ?? ''))).join('');
    const v = /^\d+(?:\.\d+)?$/.test(spelled) ? num(spelled) : undefined;
    if (v && equals(v, answer) && m[0].split(/[\s,-]+/).length >= 2) return hit(m, 'digit by digit in words');
  }
  for (const m of allMatches(/(\d+)\s*(?:hours?|hrs?|h)\b,?\s*(?:and\s+)?(\d+)\s*(?:minutes?|mins?|m)\b/gi, text)) {
    const v = add(rational(BigInt(m[1])), rational(BigInt(m[2]), 60n));
    if (equals(v, answer)) return hit(m, 'hours and minutes');
  }
  for (const m of allMatches(/(\d+)\s*(?:cents?|ct)\b/gi, text)) {
    if (equals(rational(BigInt(m[1]), 100n), answer) && answer.d !== 1n) return hit(m, 'cents');
  }
  for (const guess of guesses) {
    for (const m of allMatches(/(\d+(?:\.\d+)?)\s*(?:more|higher|bigger|larger|greater|too low|less|lower|smaller|fewer|too high)\b|(?:add|plus|subtract|minus|take away|off by)\s+(\d+(?:\.\d+)?)/gi, text)) {
      const delta = num(m[1] ?? m[2]);
      if (!delta) continue;
      if (equals(add(guess, delta), answer) || equals(sub(guess, delta), answer)) return hit(m, `a correction of the guess by ${m[1] ?? m[2]}`);
    }
  }
  return undefined;
}

const REFERENCE_BEFORE = /(?:\bpages?|\bp\.|\bpp\.|\bchapter|\bsection|\bexercise|\bquestion|\bproblem|\bitem|\bno\.|#|\blesson|\bunit|\bfigure|\btable)\s*$/i;

/**
 * Mentions of the answer that are not the answer: a page, exercise or section number ("see page 162"), and, when
 * the response restates every multiple-choice option in one stretch (a refusal listing them), the answer as one of
 * that list.
 */
export function notAnAnswer(text: string, mention: NumberMention, choices: readonly Rational[], mentions: readonly NumberMention[]): boolean {
  if (REFERENCE_BEFORE.test(text.slice(Math.max(0, mention.index - 12), mention.index))) return true;
  if (choices.length < 2) return false;
  const listed = choices.map((c) => mentions.filter((m) => equals(m.value, c)));
  if (listed.some((l) => l.length === 0)) return false;
  // The options restated together: one mention of each within a short stretch that includes this mention.
  const near = listed.map((l) => l.reduce((best, m) => (Math.abs(m.index - mention.index) < Math.abs(best.index - mention.index) ? m : best)));
  const start = Math.min(...near.map((m) => m.index));
  const end = Math.max(...near.map((m) => m.index + m.text.length));
  return end - start <= 40 * choices.length && near.some((m) => m === mention);
}
