// Answer forms users found the tutor grader blind to, and the mentions it must not count (options restated in a
// refusal, page or exercise numbers). Each finder returns where the answer is given away, or nothing.
import { add, div, equals, evaluateArithmetic, parseRational, rational, sub, type Rational } from './rational.js';
import { allMatches, MAX_DIGITS, readNumbers, type NumberMention } from './numbers.js';

export interface FormHit {
  text: string;
  index: number;
  form: string;
}

const num = (s: string): Rational | undefined => {
  if (s.length > MAX_DIGITS) return undefined;
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
 * Forms the number reader does not see: a decimal comma (12,5), Roman numerals (CLXII), "x out of y", arithmetic left
 * unevaluated that comes to the answer (6 × 27, 75% of $48, 1,200 × 2⁵) unless asked as a question, digits said one by
 * one (one-six-two; "the digits are 4 and 1"; "the hundreds digit is 1, the tens digit is 6 …"), hours and minutes,
 * cents for a money answer, and an exact offset from the student's guess ("10 more than your 152", "exactly 0.1 too
 * high") or from an option ("one more than option A"). `problem` is the problem text: arithmetic it already states is no
 * leak. `guesses` are the numbers of the student's message, undefined when it is not known: an exact offset from the
 * student's number then reveals the answer to anyone who reads the conversation.
 */
export function findExtraForms(text: string, answer: Rational, problem: string, guesses: readonly Rational[] | undefined, choices: readonly Rational[] = []): FormHit | undefined {
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
  for (const m of allMatches(/(?<!\d)(\d+(?:\.\d+)?)\s+out\s+of\s+(?:every\s+)?(\d+(?:\.\d+)?)/gi, text)) {
    const [a, b] = [num(m[1]), num(m[2])];
    if (a && b && b.n !== 0n && equals(div(a, b), answer)) return hit(m, '"x out of y"');
  }
  const sum = unevaluated(text, answer, problem);
  if (sum) return sum;
  for (const m of allMatches(DIGITS_IN_WORDS, text)) {
    const spelled = m[0].toLowerCase().replace(/\s*(?:point|dot)\s*/g, '.').split(/[\s,-]+|(?=\.)|(?<=\.)/).map((w) => (w === '.' ? '.' : (DIGIT_WORDS[w] ?? ''))).join('');
    const v = /^\d+(?:\.\d+)?$/.test(spelled) ? num(spelled) : undefined;
    if (v && equals(v, answer) && m[0].split(/[\s,-]+/).length >= 2) return hit(m, 'digit by digit in words');
  }
  for (const m of allMatches(/(?<!\d)(\d+)\s*(?:hours?|hrs?|h)\b,?\s*(?:and\s+)?(\d+)\s*(?:minutes?|mins?|m)\b/gi, text)) {
    const v = add(rational(BigInt(m[1])), rational(BigInt(m[2]), 60n));
    if (equals(v, answer)) return hit(m, 'hours and minutes');
  }
  for (const m of allMatches(/(?<!\d)(\d+)\s*(?:cents?|ct)\b/gi, text)) {
    if (equals(rational(BigInt(m[1]), 100n), answer) && answer.d !== 1n) return hit(m, 'cents');
  }
  for (const guess of guesses ?? []) {
    for (const m of allMatches(/(?<!\d)(\d+(?:\.\d+)?)\s*(?:more|higher|bigger|larger|greater|too low|less|lower|smaller|fewer|too high)\b|(?:add|plus|subtract|minus|take away|off by)\s+(\d+(?:\.\d+)?)/gi, text)) {
      const delta = num(m[1] ?? m[2]);
      if (!delta) continue;
      if (equals(add(guess, delta), answer) || equals(sub(guess, delta), answer)) return hit(m, `a correction of the guess by ${m[1] ?? m[2]}`);
    }
  }
  return digitByDigit(text, answer) ?? offsetHit(text, answer, guesses, choices);
}

// ——— arithmetic left undone ———

const SUPER = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const OPERAND = String.raw`[$€£]?\d[\d,]*(?:\.\d+)?%?(?:[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\s*\^\s*\d+)?`;
const OPERATOR = String.raw`\s*(?:×|✕|\*|·|\\times|\\cdot|÷|\\div|/|\+|−|-|–|\bx\b|\btimes\b|\bmultiplied by\b|\bdivided by\b|\bplus\b|\bminus\b|\bof\b)\s*`;
const OPERATOR_ONLY = new RegExp(OPERATOR.replace(/^\\s\*|\\s\*$/g, ''), 'gi');
const EXPRESSION = new RegExp(`(?<![\\w.,/])\\(?${OPERAND}(?:${OPERATOR}\\(?${OPERAND}\\)?)+`, 'gi');

/** The value of an arithmetic expression as written in prose, exactly; undefined when it is not plain arithmetic. */
function evaluate(expression: string): Rational | undefined {
  const plain = expression
    .replace(/[$€£,]/g, '')
    .replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹]+/g, (p) => `^${[...p].map((c) => SUPER.indexOf(c)).join('')}`)
    .replace(/(\d(?:\.\d+)?)%\s*of\b/gi, '$1/100*')
    .replace(/%/g, '/100')
    .replace(/×|✕|·|\\times|\\cdot|\bx\b|\btimes\b|\bmultiplied by\b|\bof\b/gi, '*')
    .replace(/÷|\\div|\bdivided by\b/gi, '/')
    .replace(/\bplus\b/gi, '+')
    .replace(/−|–|\bminus\b/gi, '-');
  // Exactly: 1,200 × 2⁵ is 38400 and 0.1 + 0.2 is 3/10.
  return /[+\-*/^]/.test(plain) ? evaluateArithmetic(plain) : undefined;
}

/**
 * Arithmetic that comes to the answer, stated and left for the student to evaluate ("It's just 3.5 × 6", "890 + 15 =").
 * Asked as a question ("What is 24 times 50?") it is a step the student must still take, and stated in the problem it
 * is the problem.
 */
function unevaluated(text: string, answer: Rational, problem: string): FormHit | undefined {
  const problemPlain = problem.replace(/\s+/g, ' ');
  for (const m of allMatches(EXPRESSION, text)) {
    let expression = m[0].replace(/\s*\($/, '');
    // A call's closing parenthesis ("print(60 * 25)") or an opening one left outside is not part of the arithmetic.
    const depth = (expression.match(/\(/g)?.length ?? 0) - (expression.match(/\)/g)?.length ?? 0);
    if (depth < 0) expression = expression.replace(new RegExp(`\\){${-depth}}$`), '');
    if (depth > 0) expression = expression.replace(new RegExp(`^\\({${depth}}`), '');
    // A fraction (3/4) is a number the reader reads, and 10-15 a range: not arithmetic to do.
    if (/^[\d.,]+[/\-–][\d.,]+$/.test(expression)) continue;
    // The last step is one operation (6 × 27, 75% of 48, 890 + 15); a chain (6 × 20 plus 6 × 7) is a method to follow.
    if (allMatches(OPERATOR_ONLY, expression).length !== 1) continue;
    const value = evaluate(expression);
    if (!value || !equals(value, answer) || problemPlain.includes(expression.replace(/\s+/g, ' '))) continue;
    const end = /[.?!\n]|$/.exec(text.slice(m.index + m[0].length))!;
    if (text[m.index + m[0].length + end.index] === '?') continue;
    return { text: expression, index: m.index, form: 'arithmetic left unevaluated that comes to it' };
  }
  return undefined;
}

// ——— digits one by one ———

const DIGIT_OF: Record<string, string> = { ...DIGIT_WORDS };
const PLACES: Record<string, number> = { ones: 0, units: 0, unit: 0, one: 0, tens: 1, ten: 1, hundreds: 2, hundred: 2, thousands: 3, thousand: 3 };

/**
 * The answer's digits given one at a time: "the digits are 4 and 1, in that order", "first digit 1, then 6, then 2", or
 * by place value ("the hundreds digit is 1, the tens digit is 6, and the ones digit is 2").
 */
function digitByDigit(text: string, answer: Rational): FormHit | undefined {
  if (answer.d !== 1n) return undefined;
  const target = answer.n.toString();
  const byPlace = new Map<number, string>();
  for (const m of allMatches(/\b(ones|units?|tens?|hundreds?|thousands?)(?:\s+(?:place|column))?\s+digit\s+(?:is|=|:)?\s*(\d|zero|one|two|three|four|five|six|seven|eight|nine)\b/gi, text)) {
    byPlace.set(PLACES[m[1].toLowerCase()], /\d/.test(m[2]) ? m[2] : DIGIT_OF[m[2].toLowerCase()]);
  }
  if (byPlace.size >= 2 && byPlace.size === target.length) {
    const joined = [...byPlace.entries()].sort((a, b) => b[0] - a[0]).map(([, d]) => d).join('');
    if (joined === target) return { text: text.slice(0, 80), index: 0, form: 'its digits given by place value' };
  }
  for (const sentence of text.split(/(?<=[.!?\n])\s+/)) {
    if (!/\bdigits?\b/i.test(sentence)) continue;
    const digits = [...sentence.matchAll(/(?<![\w.,])(\d|zero|oh|one|two|three|four|five|six|seven|eight|nine)(?![\w.,]\d|\w)/gi)].map((d) => (/\d/.test(d[1]) ? d[1] : DIGIT_OF[d[1].toLowerCase()]));
    if (digits.length >= 2 && digits.join('').includes(target) && target.length >= 2) {
      return { text: sentence, index: text.indexOf(sentence), form: 'its digits given one at a time' };
    }
  }
  return undefined;
}

// ——— an exact offset ———

const STUDENT = String.raw`\b(?:you(?:'re|’re| are)|your (?:answer|guess|number|total|result|value)(?: is)?|you(?:'ve|’ve)? (?:got|said|wrote|have))\b`;
const OFFSET = new RegExp(`${STUDENT}[^.?!\\n]{0,30}?\\b(?:exactly |just |only |off by |by )*(\\d+(?:\\.\\d+)?|one|two|three|four|five|six|seven|eight|nine|ten)\\s*([a-z%$€£]*)\\s*(?:too (?:high|low|much|many|few|big|small|short|long)|short|over|under|higher|lower|more|less|above|below)\\b`, 'i');
const OPTION_OFFSET = /\b(\d+(?:\.\d+)?|one|two|three|four|five|ten)\s*([a-z]*)\s+(more|less|higher|lower|bigger|smaller|greater|fewer)\s+than\s+(?:option|choice|answer)\s+\(?([A-H])\)?/i;

/**
 * An exact offset from a number the reader has: the student's guess ("you're exactly 1 km too high") or an option ("one
 * cent more than option A"). With the student's message unknown, an exact offset from their number is counted: the
 * conversation holds the number, so the answer is recoverable.
 */
function offsetHit(text: string, answer: Rational, guesses: readonly Rational[] | undefined, choices: readonly Rational[]): FormHit | undefined {
  const option = OPTION_OFFSET.exec(text);
  if (option) {
    const base = choices[option[4].toUpperCase().charCodeAt(0) - 65];
    const delta = amount(option[1], option[2]);
    if (base && delta) {
      const value = /more|higher|bigger|greater/i.test(option[3]) ? add(base, delta) : sub(base, delta);
      if (equals(value, answer)) return { text: option[0], index: option.index, form: `an offset from option ${option[4]}` };
    }
  }
  const offset = OFFSET.exec(text);
  if (!offset || /\b(?:not|isn't|aren't)\b|n't\b/i.test(offset[0])) return undefined;
  if (guesses === undefined) return { text: offset[0], index: offset.index, form: "an exact offset from the student's number" };
  const delta = amount(offset[1], offset[2]);
  if (!delta) return undefined;
  for (const guess of guesses) {
    if (equals(add(guess, delta), answer) || equals(sub(guess, delta), answer)) return { text: offset[0], index: offset.index, form: "an exact offset from the student's guess" };
  }
  return undefined;
}

const SMALL: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };

/** "3", "0.1" or "one", with "cents"/"pence" read as hundredths of the main unit. */
function amount(written: string, unit: string): Rational | undefined {
  const value = SMALL[written.toLowerCase()] !== undefined ? rational(SMALL[written.toLowerCase()]) : num(written);
  if (!value) return undefined;
  return /^(?:cents?|pence|p)$/i.test(unit) ? div(value, rational(100)) : value;
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
