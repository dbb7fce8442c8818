// Reads every number a text states, in the forms people and models write them: digits, decimals, thousands
// separators (commas, thin or plain spaces), digits spaced apart, scales (1.2 thousand, 15k), scientific notation,
// fractions (plain, mixed, LaTeX, unicode), number and fraction words, money in two units (seven euros and sixty
// cents), hours and minutes, percentages, base64 — each with the unit written after it (or a currency sign before).
import { add, mul, rational, type Rational } from './rational.js';
import { unitAt, type UnitName } from './units.js';

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
  /** The unit written after it ("km/hour", "minute", "cm^2"), or `money` after a currency sign (units.ts names them). */
  unit?: UnitName;
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

/** Longer runs of digits are not read as numbers: no answer is that long. */
export const MAX_DIGITS = 64;

// Patterns built from parts, compiled once.
const FRAC_ARG = String.raw`(?:\{\s*(\d+)\s*\}|(\d))`;
const LATEX_FRACTION = new RegExp(String.raw`(?:(?<![\w.])(\d+)\s*)?\\[dt]?frac\s*${FRAC_ARG}\s*${FRAC_ARG}`, 'g');
const UNICODE_FRACTION = new RegExp(`(?:(?<![\\w.])(\\d+)\\s*)?([${Object.keys(UNICODE_FRACTIONS).join('')}])`, 'g');
const ANY_UNICODE_FRACTION = new RegExp(`[${Object.keys(UNICODE_FRACTIONS).join('')}]`);
const SEPARATOR = String.raw`(?:,|\{,\}|\\,|[\u2009\u202f\u00a0 ])`;
const DIGITS = new RegExp(String.raw`(?<![\w.])(?:(\d{1,3}(?:${SEPARATOR}\d{3})+|\d+)(?:\.(\d+))?|\.(\d+))(?!\d)`, 'g');

// Base64 turns four characters (values v0…v3, 6 bits each) into three bytes: 4·v0 + ⌊v1/16⌋, 16·(v1 mod 16) + ⌊v2/4⌋
// and 64·(v2 mod 4) + v3. Text is ASCII, every byte below 0x80, which holds only when v0 < 32, v1 mod 16 < 8 and
// v2 mod 4 < 2: the characters of these classes. A padded last group ("NA==", "NDI=") has fewer bytes, and the bits
// it leaves unused are zero, which the classes allow.
const ASCII_BYTE1 = '[A-Za-f]';
const ASCII_BYTE2 = '[A-HQ-Xg-nw-z0-3]';
const ASCII_BYTE3 = '[ABEFIJMNQRUVYZcdghklopstwx014589]';
const B64 = '[A-Za-z0-9+/]';
/**
 * A whole base64 token (nothing of one before or after) that may decode to text: groups of four whose bytes are all
 * ASCII, the last ending in one or two = or not. Most words ("that", "What") fail at once and are never decoded. The
 * lookbehind comes after the first character so that the engine can skip other characters quickly.
 */
const BASE64_TOKEN = new RegExp(
  `${ASCII_BYTE1}(?<![A-Za-z0-9+/=].)(?:${ASCII_BYTE2}${ASCII_BYTE3}${B64}${ASCII_BYTE1})*` +
    `${ASCII_BYTE2}(?:${ASCII_BYTE3}${B64}|${ASCII_BYTE3}=|==)(?![A-Za-z0-9+/=])`,
  'g',
);

/**
 * The matches of a global `pattern` in `text`, as `text.matchAll(pattern)` gives them. matchAll builds a new RegExp on
 * every call, which costs more than scanning a short text; this execs the pattern itself, to the end before returning,
 * so a shared pattern is safe. The pattern must not match '' (exec would not move on).
 */
export function allMatches(pattern: RegExp, text: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  pattern.lastIndex = 0;
  for (let m: RegExpExecArray | null; (m = pattern.exec(text)); ) out.push(m);
  return out;
}

/** Every number stated in `text`, in reading order. */
export function readNumbers(text: string): NumberMention[] {
  return read(text, true);
}

function read(text: string, decodeBase64: boolean): NumberMention[] {
  // Which characters a mention already covers: checking a span costs its length, not the number of mentions before it
  // (a list of spans made a 4 MB answer of "1 1 1 …" quadratic).
  const taken = new Uint8Array(text.length);
  const found: NumberMention[] = [];
  const free = (start: number, end: number) => {
    for (let i = start; i < end; i++) if (taken[i]) return false;
    return true;
  };
  const claim = (start: number, end: number) => taken.fill(1, start, end);
  // Where the text's maths and \boxed{} contents lie, found once here for describe (not per number).
  const math = inside(text.length, mathSpans(text), false);
  const boxed = inside(text.length, boxedSpans(text), true);
  const emit = (index: number, written: string, value: Rational, form: string, places?: number) => {
    claim(index, index + written.length);
    const after = text.slice(index + written.length, index + written.length + 40);
    const percent = PERCENT_AFTER.test(after);
    const unit = percent ? 'percent' : (unitAt(after)?.unit ?? (CURRENCY_BEFORE.test(text.slice(Math.max(0, index - 6), index)) ? 'money' : undefined));
    found.push({ value, text: written, index, form: describe(text, math, boxed, index, written, form), places, percent, ...(unit ? { unit } : {}) });
  };
  const scan = (pattern: RegExp, each: (m: RegExpExecArray) => void) => {
    for (const m of allMatches(pattern, text)) if (free(m.index, m.index + m[0].length)) each(m);
  };

  if (decodeBase64) {
    scan(BASE64_TOKEN, (m) => {
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

  // A scan for a form with a fixed part (frac, \over, a fraction character, ⁄, /) runs only if the text holds that
  // part: looking for it costs far less than the scan.
  if (text.includes('frac')) scan(LATEX_FRACTION, (m) => {
    const [n, d] = [BigInt(m[2] ?? m[3]), BigInt(m[4] ?? m[5])];
    if (d === 0n) return;
    emit(m.index, m[0], add(rational(BigInt(m[1] ?? 0)), rational(n, d)), m[1] ? 'LaTeX mixed number' : 'LaTeX fraction');
  });
  if (text.includes('\\over')) scan(/(?<![\w.])(\d+)\s*\\over\s*(\d+)(?!\d)/g, (m) => {
    if (BigInt(m[2]) !== 0n) emit(m.index, m[0], rational(BigInt(m[1]), BigInt(m[2])), 'LaTeX fraction');
  });
  if (ANY_UNICODE_FRACTION.test(text)) scan(UNICODE_FRACTION, (m) => {
    const [n, d] = UNICODE_FRACTIONS[m[2]];
    emit(m.index, m[0], add(rational(BigInt(m[1] ?? 0)), rational(n, d)), m[1] ? 'mixed number' : 'unicode fraction');
  });
  if (text.includes('\u2044')) scan(/(?<![\w.])(\d+)\s*\u2044\s*(\d+)(?!\d)/g, (m) => {
    if (BigInt(m[2]) !== 0n) emit(m.index, m[0], rational(BigInt(m[1]), BigInt(m[2])), 'fraction');
  });
  if (text.includes('/')) scan(/(?<![\w.,/])(\d+)\s+(\d+)\s*\/\s*(\d+)(?![\d/]|\.\d)/g, (m) => {
    const [whole, n, d] = [BigInt(m[1]), BigInt(m[2]), BigInt(m[3])];
    if (d === 0n || n >= d) return;
    emit(m.index, m[0], add(rational(whole), rational(n, d)), 'mixed number');
  });
  // A slash that divides evenly (84/2, 12/4) is a sum to do, not a value stated: its two numbers stay numbers.
  if (text.includes('/')) scan(/(?<![\w.,/])(\d+)\s*\/\s*(\d+)(?![\d/]|\.\d)/g, (m) => {
    const [n, d] = [BigInt(m[1]), BigInt(m[2])];
    if (d === 0n || n % d === 0n) return;
    emit(m.index, m[0], rational(n, d), 'fraction');
  });
  // "6 3 0": three or more single digits spaced apart, read as one number.
  scan(/(?<![\w.,]|\d )\d(?: \d){2,}(?![\w.,]| \d)/g, (m) => emit(m.index, m[0], rational(BigInt(m[0].replace(/ /g, ''))), 'digits spaced apart'));
  scan(DIGITS, (m) => {
    // No answer has this many digits, and turning a million of them into a BigInt takes seconds.
    if (m[0].length > MAX_DIGITS) return claim(m.index, m.index + m[0].length);
    const grouped = m[1] !== undefined && /\D/.test(m[1]);
    const whole = grouped ? m[1].replace(/\D/g, '') : (m[1] ?? '0');
    const places = m[2] ?? m[3] ?? '';
    const value = places ? rational(BigInt(whole + places), 10n ** BigInt(places.length)) : rational(BigInt(whole));
    const form = places ? 'decimal' : grouped ? 'digits with thousands separators' : 'digits';
    const scaled = scaleAfter(text.slice(m.index + m[0].length, m.index + m[0].length + 24));
    if (scaled) {
      emit(m.index, m[0] + scaled.text, mul(value, scaled.factor), `${form} ${scaled.form}`);
      return;
    }
    emit(m.index, m[0], value, form, places ? places.length : undefined);
  });
  for (const w of readNumberWords(text)) if (free(w.index, w.index + w.text.length)) emit(w.index, w.text, w.value, w.form);

  return mergeCompounds(text, mergeMixed(text, found.sort((a, b) => a.index - b.index)));
}

const SCALES_AFTER: Record<string, bigint> = { thousand: 1_000n, million: 1_000_000n, billion: 1_000_000_000n, trillion: 1_000_000_000_000n, k: 1_000n, bn: 1_000_000_000n };
const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const SUPERSCRIPT_POWER = new RegExp(`^\\s*(?:×|x|\\*|·)\\s*10([⁻]?[${SUPERSCRIPTS}]{1,3})`);

/** What multiplies a number written just before `after`: a scale word (1.2 thousand, 15k) or a power of ten (3.84 × 10^4, 3.84e4). */
function scaleAfter(after: string): { text: string; factor: Rational; form: string } | undefined {
  const word = /^(\s*(thousand|million|billion|trillion)\b|(k|K|bn)\b)/.exec(after);
  if (word) return { text: word[1], factor: rational(SCALES_AFTER[(word[2] ?? word[3]).toLowerCase()]), form: 'with a scale word' };
  const power =
    /^\s*(?:×|x|\*|·|\\times|\\cdot)\s*10\s*(?:\^|\*\*)\s*(?:\{\s*([-−]?\d{1,3})\s*\}|([-−]?\d{1,3}))/.exec(after) ??
    SUPERSCRIPT_POWER.exec(after) ??
    /^[eE]([-+]?\d{1,3})\b/.exec(after);
  if (!power) return undefined;
  const exponent = Number((power[1] ?? power[2]).replace(/[−⁻]/g, '-').replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹]/g, (c) => String(SUPERSCRIPTS.indexOf(c))));
  const factor = exponent >= 0 ? rational(10n ** BigInt(exponent)) : rational(1n, 10n ** BigInt(-exponent));
  return { text: power[0], factor, form: 'in scientific notation' };
}

/**
 * Amounts said in two units: "seven euros and sixty cents", "twenty-three pounds fifty" (money, in the main unit), and
 * "2 h 30 min", "13 hours and 20 minutes" (time, in minutes, which units.ts converts to what the problem asks).
 */
function mergeCompounds(text: string, mentions: NumberMention[]): NumberMention[] {
  const out: NumberMention[] = [];
  for (const m of mentions) {
    const prev = out[out.length - 1];
    const gap = prev ? text.slice(prev.index + prev.text.length, m.index) : '';
    const whole = prev !== undefined && prev.value.d === 1n && m.value.d === 1n;
    const written = () => text.slice(prev.index, m.index + m.text.length);
    const moneyGap = /^\s*(?:dollars?|bucks|euros?|pounds?|quid)\s*,?\s*(?:and\s+)?$/i.test(gap) || (prev?.unit === 'money' && m.unit === 'cent' && /^\s*,?\s*(?:and\s+)?$/i.test(gap));
    if (whole && m.value.n < 100n && moneyGap && (m.unit === 'cent' || m.unit === undefined)) {
      out[out.length - 1] = { ...prev, value: add(prev.value, rational(m.value.n, 100n)), text: written(), form: 'money in two units', unit: 'money', places: undefined };
    } else if (whole && m.unit === 'minute' && m.value.n < 60n && /^\s*(?:hours?|hrs?|h)\s*,?\s*(?:and\s+)?$/i.test(gap)) {
      out[out.length - 1] = { ...prev, value: add(mul(prev.value, rational(60)), m.value), text: written(), form: 'hours and minutes', unit: 'minute', places: undefined };
    } else {
      out.push(m);
    }
  }
  return out;
}

/** "12 and a half": digits, then fraction words worth less than one. */
function mergeMixed(text: string, mentions: NumberMention[]): NumberMention[] {
  const out: NumberMention[] = [];
  for (const m of mentions) {
    const prev = out[out.length - 1];
    const wholeThenFraction = prev && m.form.startsWith('fraction words') && prev.value.d === 1n && m.value.n < m.value.d;
    if (wholeThenFraction && /^\s+and\s+$/i.test(text.slice(prev.index + prev.text.length, m.index))) {
      const written = text.slice(prev.index, m.index + m.text.length);
      out[out.length - 1] = { ...m, value: add(prev.value, m.value), text: written, index: prev.index, form: m.form.replace('fraction words', 'mixed number in words') };
    } else {
      out.push(m);
    }
  }
  return out;
}

/** Per character, whether it lies in one of `spans` (strictly inside, or from its start when `fromStart`). */
function inside(length: number, spans: readonly Span[], fromStart: boolean): Uint8Array {
  if (spans.length === 0) return new Uint8Array(0);
  // Counted as a difference array, so nested spans cost their number, not their lengths.
  const depth = new Int32Array(length + 1);
  for (const s of spans) {
    const start = fromStart ? s.start : s.start + 1;
    if (start >= s.end) continue;
    depth[start]++;
    depth[s.end]--;
  }
  const marks = new Uint8Array(length);
  for (let i = 0, level = 0; i < length; i++) marks[i] = (level += depth[i]) > 0 ? 1 : 0;
  return marks;
}

function describe(text: string, math: Uint8Array, boxed: Uint8Array, index: number, written: string, form: string): string {
  let notes = form;
  const before = text.slice(Math.max(0, index - 12), index);
  const after = text.slice(index + written.length, index + written.length + 24);
  if (math[index]) notes += ', in LaTeX math';
  else if (CURRENCY_BEFORE.test(before)) notes += ', with a currency sign';
  const unit = UNIT_AFTER.exec(after);
  if (unit) notes += `, with the unit "${unit[1]}"`;
  if (PERCENT_AFTER.test(after)) notes += ', as a percentage';
  if (boxed[index]) notes += ', in \\boxed{}';
  return notes;
}

/**
 * $…$ on one line, by pandoc's rule: an opening $ has no space after it, a closing $ no digit after it.
 * So "$42$" and "$x = 42$" are maths, while "$42 and $50" are two prices.
 */
function mathSpans(text: string): Span[] {
  if (!text.includes('$')) return [];
  return allMatches(/(?<!\\)\$(?=\S)(?:[^$\\\n]|\\.)*?\S(?<!\\)\$(?!\d)/g, text).map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

/** The contents of each \boxed{…} or \fbox{…}, up to its closing brace (or the end of the text). */
function boxedSpans(text: string): Span[] {
  const matches = allMatches(/\\(?:boxed|fbox)\s*\{/g, text);
  if (matches.length === 0) return [];
  // Each brace's closing position, in one pass (scanning from each \boxed{ was quadratic when they nest unclosed).
  const closedAt = new Int32Array(text.length).fill(text.length);
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '{') open.push(i);
    else if (text[i] === '}' && open.length) closedAt[open.pop()!] = i + 1;
  }
  return matches.map((m) => {
    const brace = m.index + m[0].length - 1;
    return { start: brace + 1, end: closedAt[brace] };
  });
}

/** Numbers inside a base64 token, when it decodes to printable text: "NDI=" → 42. */
function base64Numbers(token: string): NumberMention[] {
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
  /** Only spaces or hyphens part it from the word before ("forty-two", "one hundred"). */
  joined: boolean;
}

interface WordNumber {
  value: Rational;
  text: string;
  index: number;
  form: string;
}

/** The k-th word of a run, lower-case, when it belongs to the run (joined to the one before; the first always does). */
type At = (k: number) => string | undefined;

/** What "a" can count ("a hundred", "a dozen"), as parseInteger reads it; parseWords adds "a half", "a quarter". */
const COUNTED_BY_A = ['hundred', 'thousand', 'million', 'dozen'];

/**
 * Where a number in words can begin: a ONES or TENS word, or "a" joined (by spaces or hyphens) to a word it counts.
 * parseWords starts on nothing else, so the common article "a" is passed over without a parse.
 */
const FIRST_WORD = new RegExp(
  `(?<![A-Za-z])(?:${[...ONES.keys(), ...TENS.keys()].join('|')}` +
    `|a(?=[\\s-]+(?:${[...COUNTED_BY_A, ...DENOMINATORS.keys()].join('|')})(?![A-Za-z])))(?![A-Za-z])`,
  'gi',
);

/** Number words ("forty-two", "one hundred and five", "twelve point five") and fraction words ("three quarters"). */
export function readNumberWords(text: string): WordNumber[] {
  const out: WordNumber[] = [];
  let resume = 0;
  for (const m of allMatches(FIRST_WORD, text)) {
    if (m.index < resume) continue;
    const words = wordsFrom(text, m.index);
    const parsed = parseWords(words.at);
    if (!parsed) continue;
    resume = words.word(parsed.end - 1)!.end;
    out.push({ value: parsed.value, index: m.index, text: text.slice(m.index, resume), form: parsed.form });
  }
  return out;
}

/** The words of `text` from `start` on, read only as far as a parse looks: most texts have few number words. */
function wordsFrom(text: string, start: number): { word: (k: number) => Word | undefined; at: At } {
  const pattern = /[A-Za-z]+/g;
  pattern.lastIndex = start;
  const words: Word[] = [];
  let more = true;
  const word = (k: number) => {
    while (more && words.length <= k) {
      const m = pattern.exec(text);
      const prev = words[words.length - 1];
      if (!m) more = false;
      else {
        const joined = prev !== undefined && /^[\s-]+$/.test(text.slice(prev.end, m.index));
        words.push({ word: m[0].toLowerCase(), index: m.index, end: m.index + m[0].length, joined });
      }
    }
    return words[k];
  };
  const at = (k: number) => {
    const w = word(k);
    return w && (k === 0 || w.joined) ? w.word : undefined;
  };
  return { word, at };
}

function parseWords(at: At): { value: Rational; end: number; form: string } | undefined {
  const whole = parseInteger(at);
  if (!whole) {
    // "a half", "a quarter": one of something, said with the article.
    const den = DENOMINATORS.get(at(1) ?? '');
    if (at(0) === 'a' && den) return { value: rational(1, den), end: 2, form: 'fraction words' };
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

function parseInteger(at: At): { value: bigint; end: number } | undefined {
  let total = 0n;
  let current = 0n;
  let last: 'ones' | 'tens' | 'hundred' | 'scale' | 'dozen' | undefined;
  let lastScale = Number.POSITIVE_INFINITY;
  let k = 0;
  // "a hundred", "a thousand", "a dozen"
  if (at(0) === 'a' && COUNTED_BY_A.includes(at(1) ?? '')) {
    current = 1n;
    last = 'ones';
    k = 1;
  }
  for (; ; k++) {
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
