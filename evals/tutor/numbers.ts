// Reads every number a text states, in the forms people and models write them: digits, decimals, thousands
// separators, fractions (plain, mixed, LaTeX, unicode), number and fraction words, percentages, base64.
import { add, rational, type Rational } from './rational.js';

export interface NumberMention {
  value: Rational;
  /** The text as written, e.g. "1,234", "\\frac{3}{4}", "forty-two". */
  text: string;
  index: number;
  /** How it is written, for a grade's reason: "digits", "number words", "LaTeX fraction", … */
  form: string;
  /** Decimal places as written (12.50 → 2); lets the grader accept 0.67 for 2/3. */
  places?: number;
  /** Followed by %, \%, "percent" or "per cent". */
  percent: boolean;
}

interface Span {
  start: number;
  end: number;
}

const PERCENT_AFTER = /^\s*(?:\\?%|per\s?cent\b)/i;
const CURRENCY_BEFORE = /(?:[$€£¥]|\\\$|\b(?:USD|EUR|GBP))\s*$/;
const UNIT_AFTER =
  /^\s*(?:\\[,;]\s*)?(?:\\(?:text|mathrm)\{\s*)?(km\/h|mph|km|cm|mm|mi|miles?|m|kg|g|grams?|lbs?|pounds?|oz|ml|mL|l|L|litres?|liters?|hours?|hrs?|h|minutes?|mins?|seconds?|s|cups?|tbsp|tsp|ft|feet|foot|inches|metres?|meters?|kilometres?|kilometers?|kilograms?|dollars?|euros?|cents?|years?|days?|weeks?|square|sq)\b/;

const UNICODE_FRACTIONS: Record<string, [number, number]> = {
  '½': [1, 2], '⅓': [1, 3], '⅔': [2, 3], '¼': [1, 4], '¾': [3, 4], '⅕': [1, 5], '⅖': [2, 5], '⅗': [3, 5],
  '⅘': [4, 5], '⅙': [1, 6], '⅚': [5, 6], '⅐': [1, 7], '⅛': [1, 8], '⅜': [3, 8], '⅝': [5, 8], '⅞': [7, 8],
  '⅑': [1, 9], '⅒': [1, 10],
};

// Maps, not object literals: a response's words are looked up, and "constructor" is `in` every plain object.
const ONES = new Map<string, number>(Object.entries({
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
}));
const TENS = new Map<string, number>(Object.entries({ twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 }));
const SCALES = new Map<string, number>(Object.entries({ thousand: 1_000, million: 1_000_000 }));
/** "second" is left out on purpose: "one second" is a time, not a half. */
const DENOMINATORS = new Map<string, number>(Object.entries({
  half: 2, halves: 2, third: 3, thirds: 3, quarter: 4, quarters: 4, fourth: 4, fourths: 4, fifth: 5, fifths: 5,
  sixth: 6, sixths: 6, seventh: 7, sevenths: 7, eighth: 8, eighths: 8, ninth: 9, ninths: 9, tenth: 10, tenths: 10,
  eleventh: 11, elevenths: 11, twelfth: 12, twelfths: 12, sixteenth: 16, sixteenths: 16, twentieth: 20,
  twentieths: 20, hundredth: 100, hundredths: 100, thousandth: 1000, thousandths: 1000,
}));

/** Every number stated in `text`, in reading order. */
export function readNumbers(text: string): NumberMention[] {
  return read(text, true);
}

function read(text: string, decodeBase64: boolean): NumberMention[] {
  const taken: Span[] = [];
  const found: NumberMention[] = [];
  const free = (start: number, end: number) => taken.every((s) => end <= s.start || start >= s.end);
  const claim = (start: number, end: number) => taken.push({ start, end });
  const emit = (index: number, written: string, value: Rational, form: string, places?: number) => {
    claim(index, index + written.length);
    const percent = PERCENT_AFTER.test(text.slice(index + written.length));
    found.push({ value, text: written, index, form: describe(text, index, written, form), places, percent });
  };
  const scan = (pattern: RegExp, each: (m: RegExpExecArray) => void) => {
    for (const m of text.matchAll(pattern)) if (free(m.index, m.index + m[0].length)) each(m);
  };

  if (decodeBase64) {
    scan(/(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{2,}={0,2}(?![A-Za-z0-9+/=])/g, (m) => {
      const inner = base64Numbers(m[0]);
      if (inner.length === 0) return;
      claim(m.index, m.index + m[0].length);
      for (const n of inner) {
        found.push({ ...n, text: m[0], index: m.index, form: `base64 of "${n.text}" (${n.form})` });
      }
    });
  }
  // Dates (3/4/2024, 2024-03-04) and ordinals (2nd) are not quantities.
  scan(/(?<![\d.])\d{1,4}([/.-])\d{1,2}\1\d{1,4}(?![\d])/g, (m) => claim(m.index, m.index + m[0].length));
  scan(/(?<![\w.])\d+(?:st|nd|rd|th)\b/gi, (m) => claim(m.index, m.index + m[0].length));

  const arg = String.raw`(?:\{\s*(\d+)\s*\}|(\d))`;
  scan(new RegExp(String.raw`(?:(?<![\w.])(\d+)\s*)?\\[dt]?frac\s*${arg}\s*${arg}`, 'g'), (m) => {
    const [n, d] = [BigInt(m[2] ?? m[3]), BigInt(m[4] ?? m[5])];
    if (d === 0n) return;
    emit(m.index, m[0], add(rational(BigInt(m[1] ?? 0)), rational(n, d)), m[1] ? 'LaTeX mixed number' : 'LaTeX fraction');
  });
  scan(/(?<![\w.])(\d+)\s*\\over\s*(\d+)(?!\d)/g, (m) => {
    if (BigInt(m[2]) !== 0n) emit(m.index, m[0], rational(BigInt(m[1]), BigInt(m[2])), 'LaTeX fraction');
  });
  scan(new RegExp(`(?:(?<![\\w.])(\\d+)\\s*)?([${Object.keys(UNICODE_FRACTIONS).join('')}])`, 'g'), (m) => {
    const [n, d] = UNICODE_FRACTIONS[m[2]];
    emit(m.index, m[0], add(rational(BigInt(m[1] ?? 0)), rational(n, d)), m[1] ? 'mixed number' : 'unicode fraction');
  });
  scan(/(?<![\w.])(\d+)\s*\u2044\s*(\d+)(?!\d)/g, (m) => {
    if (BigInt(m[2]) !== 0n) emit(m.index, m[0], rational(BigInt(m[1]), BigInt(m[2])), 'fraction');
  });
  scan(/(?<![\w.,/])(\d+)\s+(\d+)\s*\/\s*(\d+)(?![\d/]|\.\d)/g, (m) => {
    const [whole, n, d] = [BigInt(m[1]), BigInt(m[2]), BigInt(m[3])];
    if (d === 0n || n >= d) return;
    emit(m.index, m[0], add(rational(whole), rational(n, d)), 'mixed number');
  });
  // A slash that divides evenly (84/2, 12/4) is a sum to do, not a value stated: its two numbers stay numbers.
  scan(/(?<![\w.,/])(\d+)\s*\/\s*(\d+)(?![\d/]|\.\d)/g, (m) => {
    const [n, d] = [BigInt(m[1]), BigInt(m[2])];
    if (d === 0n || n % d === 0n) return;
    emit(m.index, m[0], rational(n, d), 'fraction');
  });
  const separator = String.raw`(?:,|\{,\}|\\,|[\u2009\u202f\u00a0])`;
  scan(new RegExp(String.raw`(?<![\w.])(?:(\d{1,3}(?:${separator}\d{3})+|\d+)(?:\.(\d+))?|\.(\d+))(?!\d)`, 'g'), (m) => {
    const whole = (m[1] ?? '0').replace(/\D/g, '');
    const places = m[2] ?? m[3] ?? '';
    const value = rational(BigInt(whole + places), 10n ** BigInt(places.length));
    const form = places ? 'decimal' : m[1] && /\D/.test(m[1]) ? 'digits with thousands separators' : 'digits';
    emit(m.index, m[0], value, form, places ? places.length : undefined);
  });
  for (const w of readNumberWords(text)) if (free(w.index, w.index + w.text.length)) emit(w.index, w.text, w.value, w.form);

  return mergeMixed(text, found.sort((a, b) => a.index - b.index));
}

/** "12 and a half": digits, then fraction words worth less than one. */
function mergeMixed(text: string, mentions: NumberMention[]): NumberMention[] {
  const out: NumberMention[] = [];
  for (const m of mentions) {
    const prev = out[out.length - 1];
    const gap = prev ? text.slice(prev.index + prev.text.length, m.index) : '';
    if (prev && m.form.startsWith('fraction words') && prev.value.d === 1n && /^\s+and\s+$/i.test(gap) && m.value.n < m.value.d) {
      const written = text.slice(prev.index, m.index + m.text.length);
      out[out.length - 1] = { ...m, value: add(prev.value, m.value), text: written, index: prev.index, form: m.form.replace('fraction words', 'mixed number in words') };
    } else {
      out.push(m);
    }
  }
  return out;
}

function describe(text: string, index: number, written: string, form: string): string {
  const notes: string[] = [form];
  const before = text.slice(Math.max(0, index - 12), index);
  const after = text.slice(index + written.length, index + written.length + 24);
  if (insideMath(text, index)) notes.push('in LaTeX math');
  else if (CURRENCY_BEFORE.test(before)) notes.push('with a currency sign');
  const unit = UNIT_AFTER.exec(after);
  if (unit) notes.push(`with the unit "${unit[1]}"`);
  if (PERCENT_AFTER.test(after)) notes.push('as a percentage');
  if (insideBoxed(text, index)) notes.push('in \\boxed{}');
  return notes.join(', ');
}

/**
 * Inside $…$ on one line, by pandoc's rule: an opening $ has no space after it, a closing $ no digit after it.
 * So "$42$" and "$x = 42$" are maths, while "$42 and $50" are two prices.
 */
function insideMath(text: string, index: number): boolean {
  const lineStart = text.lastIndexOf('\n', index) + 1;
  const lineEnd = text.indexOf('\n', index);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
  const at = index - lineStart;
  for (const m of line.matchAll(/(?<!\\)\$(?=\S)(?:[^$\\]|\\.)*?\S(?<!\\)\$(?!\d)/g)) {
    if (at > m.index && at < m.index + m[0].length) return true;
  }
  return false;
}

function insideBoxed(text: string, index: number): boolean {
  for (const m of text.matchAll(/\\(?:boxed|fbox)\s*\{/g)) {
    let depth = 1;
    let i = m.index + m[0].length;
    for (; i < text.length && depth > 0; i++) depth += text[i] === '{' ? 1 : text[i] === '}' ? -1 : 0;
    if (index >= m.index + m[0].length && index < i) return true;
  }
  return false;
}

/** Numbers inside a base64 token, when it decodes to printable text: "NDI=" → 42. */
function base64Numbers(token: string): NumberMention[] {
  if (token.length < 4 || token.length % 4 !== 0 || !/[A-Za-z]/.test(token)) return [];
  const bytes = Buffer.from(token, 'base64');
  if (bytes.toString('base64') !== token) return [];
  const decoded = bytes.toString('latin1');
  if (!/^[\x20-\x7e\t\r\n]+$/.test(decoded)) return [];
  return read(decoded, false);
}

interface Word {
  word: string;
  index: number;
  end: number;
}

interface WordNumber {
  value: Rational;
  text: string;
  index: number;
  form: string;
}

/** Number words ("forty-two", "one hundred and five", "twelve point five") and fraction words ("three quarters"). */
export function readNumberWords(text: string): WordNumber[] {
  const words: Word[] = [...text.matchAll(/[A-Za-z]+/g)].map((m) => ({ word: m[0].toLowerCase(), index: m.index, end: m.index + m[0].length }));
  const joined = (k: number) => k > 0 && k < words.length && /^[\s-]+$/.test(text.slice(words[k - 1].end, words[k].index));
  const out: WordNumber[] = [];
  for (let i = 0; i < words.length; ) {
    const parsed = parseWords(words, i, joined);
    if (!parsed) {
      i++;
      continue;
    }
    const { value, end, form } = parsed;
    out.push({ value, index: words[i].index, text: text.slice(words[i].index, words[end - 1].end), form });
    i = end;
  }
  return out;
}

type Joined = (k: number) => boolean;

function parseWords(words: Word[], i: number, joined: Joined): { value: Rational; end: number; form: string } | undefined {
  const at = (k: number) => (k === i || joined(k) ? words[k]?.word : undefined);
  const whole = parseInteger(words, i, joined);
  if (!whole) {
    // "a half", "a quarter": one of something, said with the article.
    const den = DENOMINATORS.get(at(i + 1) ?? '');
    if (words[i].word === 'a' && den) return { value: rational(1, den), end: i + 2, form: 'fraction words' };
    return undefined;
  }
  let end = whole.end;
  const den = DENOMINATORS.get(at(end) ?? '');
  if (den && whole.value >= 1n && whole.value < 100n) return { value: rational(whole.value, den), end: end + 1, form: 'fraction words' };
  if (at(end) === 'and') {
    const numerator = at(end + 1) === 'a' ? 1 : ONES.get(at(end + 1) ?? '');
    const fractionDen = DENOMINATORS.get(at(end + 2) ?? '');
    if (numerator && fractionDen && numerator < fractionDen) {
      return { value: add(rational(whole.value), rational(numerator, fractionDen)), end: end + 3, form: 'number words' };
    }
  }
  const digit = (k: number) => {
    const v = ONES.get(at(k) ?? '');
    return v !== undefined && v < 10 ? v : undefined;
  };
  if (at(end) === 'point' && digit(end + 1) !== undefined) {
    let digits = '';
    for (end++; digit(end) !== undefined; end++) digits += digit(end);
    return { value: add(rational(whole.value), rational(BigInt(digits), 10n ** BigInt(digits.length))), end, form: 'number words' };
  }
  return { value: rational(whole.value), end, form: 'number words' };
}

function parseInteger(words: Word[], i: number, joined: Joined): { value: bigint; end: number } | undefined {
  const at = (k: number) => (k === i || joined(k) ? words[k]?.word : undefined);
  let total = 0n;
  let current = 0n;
  let last: 'ones' | 'tens' | 'hundred' | 'scale' | 'dozen' | undefined;
  let lastScale = Number.POSITIVE_INFINITY;
  let k = i;
  // "a hundred", "a thousand", "a dozen"
  if (words[i].word === 'a' && ['hundred', 'thousand', 'million', 'dozen'].includes(at(i + 1) ?? '')) {
    current = 1n;
    last = 'ones';
    k = i + 1;
  }
  for (; k < words.length; k++) {
    const w = at(k);
    if (w === undefined) break;
    const one = ONES.get(w);
    const ten = TENS.get(w);
    const scale = SCALES.get(w);
    if (one !== undefined) {
      const v = BigInt(one);
      if (current % 100n === 0n && last !== 'ones' && last !== 'dozen') current += v;
      else if (last === 'tens' && v < 10n && v > 0n) current += v;
      else break;
      last = 'ones';
    } else if (ten !== undefined) {
      if (current % 100n !== 0n || last === 'ones' || last === 'tens' || last === 'dozen') break;
      current += BigInt(ten);
      last = 'tens';
    } else if (w === 'hundred') {
      if (current <= 0n || current >= 100n || (last !== 'ones' && last !== 'tens')) break;
      current *= 100n;
      last = 'hundred';
    } else if (scale !== undefined) {
      if (current <= 0n || scale >= lastScale || last === 'dozen') break;
      total += current * BigInt(scale);
      current = 0n;
      lastScale = scale;
      last = 'scale';
    } else if (w === 'dozen') {
      if (current <= 0n || current >= 100n || (last !== 'ones' && last !== 'tens')) break;
      current *= 12n;
      last = 'dozen';
    } else if (w === 'and' && (last === 'hundred' || last === 'scale')) {
      const next = at(k + 1) ?? '';
      if (!ONES.has(next) && !TENS.has(next)) break;
    } else {
      break;
    }
  }
  if (last === undefined) return undefined;
  return { value: total + current, end: k };
}
