// Units of measure in tutor problems and answers: the words and symbols people write for them, read to one canonical
// name, and converted with js-quantities (a well-kept library whose unit system knows every dimension these problems
// use, compound ones like km/h and cm² included) so that 150 minutes is seen to be 2.5 hours and 21,000 mL 21 L.
import Qty from 'js-quantities';
import { compare, rational, type Rational } from './rational.js';

/** A canonical unit: a js-quantities unit expression, or `money`/`cent` (no currency there) or `percent`. */
export type UnitName = string;

const LENGTH: Array<[string, UnitName]> = [
  ['kilometers?|kilometres?|km', 'km'], ['centimeters?|centimetres?|cm', 'cm'], ['millimeters?|millimetres?|mm', 'mm'],
  ['meters?|metres?|m', 'm'], ['miles?|mi', 'mi'], ['feet|foot|ft', 'ft'], ['inch(?:es)?', 'inch'], ['yards?|yd', 'yd'],
];
const SIMPLE: Array<[string, UnitName]> = [
  ['milliliters?|millilitres?|ml|mL', 'mL'], ['centiliters?|centilitres?|cl', 'cL'], ['liters?|litres?|l|L', 'L'],
  ['kilograms?|kg', 'kg'], ['milligrams?|mg', 'mg'], ['grams?|g', 'g'], ['lbs?', 'lb'], ['ounces?|oz', 'oz'], ['tonnes?', 'tonne'],
  ['seconds?|secs?|s', 's'], ['minutes?|mins?|min', 'minute'], ['hours?|hrs?|hr|h', 'hour'], ['days?', 'day'], ['weeks?', 'week'],
  ['cents?|pence|ct|¢', 'cent'], ['dollars?|bucks|euros?|quid|€|\\$|£', 'money'], ['percent|per cent|%', 'percent'],
];
const SPEED: Array<[string, UnitName]> = [
  ['km/h|kph|kmh|km per hour|kilomet(?:er|re)s? per hour', 'km/hour'], ['mph|miles? per hour', 'mi/hour'],
  ['m/s|met(?:er|re)s? per second', 'm/s'], ['m/min|met(?:er|re)s? per minute', 'm/minute'], ['km/min|kilomet(?:er|re)s? per minute', 'km/minute'],
];

const alternatives = (table: Array<[string, UnitName]>) => table.map(([words]) => words).join('|');
/** Each table row's words as one whole-word pattern, built once (a unit is looked up for every number a text holds). */
const wholeWord = new Map<string, RegExp>();
const lookup = (table: Array<[string, UnitName]>, word: string) =>
  table.find(([words]) => {
    let pattern = wholeWord.get(words);
    if (!pattern) wholeWord.set(words, (pattern = new RegExp(`^(?:${words})$`, words.includes('mL') || words.includes('|L') ? '' : 'i')));
    return pattern.test(word);
  })?.[1];

const SQUARE_BEFORE = new RegExp(`^(?:square|sq\\.?)\\s+(${alternatives(LENGTH)})\\b`, 'i');
const SQUARE_AFTER = new RegExp(`^(${alternatives(LENGTH)})(?:²|\\^2|2\\b)`);
const CUBIC_AFTER = new RegExp(`^(${alternatives(LENGTH)})(?:³|\\^3)`);
const SPEED_AT = new RegExp(`^(${alternatives(SPEED)})(?![\\w/])`, 'i');
const SIMPLE_AT = new RegExp(`^(${alternatives(SIMPLE)})(?![\\w/²³^])`, 'i');
const LENGTH_AT = new RegExp(`^(${alternatives(LENGTH)})(?![\\w/²³^])`, 'i');
/** What every unit above starts with, case aside: a text that starts otherwise holds none (one test instead of six). */
const ANY_UNIT_AT = new RegExp(`^(?:${alternatives(SPEED)}|square|sq|${alternatives(LENGTH)}|${alternatives(SIMPLE)})`, 'i');

/** The unit written at the start of `text` (after a number): "km/h", "cm²", "square meters", "mL", "minutes". */
export function unitAt(text: string): { unit: UnitName; length: number } | undefined {
  const lead = /^[\s\u00a0]*(?:\\[,;!]\s*)?(?:\\(?:text|mathrm)\{\s*)?/.exec(text)![0].length;
  const rest = text.slice(lead);
  if (!ANY_UNIT_AT.test(rest)) return undefined; // a number is most often followed by no unit
  let m: RegExpExecArray | null;
  if ((m = SPEED_AT.exec(rest))) return { unit: lookup(SPEED, m[1].toLowerCase())!, length: lead + m[0].length };
  if ((m = SQUARE_BEFORE.exec(rest))) return { unit: `${lookup(LENGTH, m[1].toLowerCase())}^2`, length: lead + m[0].length };
  if ((m = SQUARE_AFTER.exec(rest))) return { unit: `${lookup(LENGTH, m[1])}^2`, length: lead + m[0].length };
  if ((m = CUBIC_AFTER.exec(rest))) return { unit: `${lookup(LENGTH, m[1])}^3`, length: lead + m[0].length };
  if ((m = SIMPLE_AT.exec(rest))) {
    const unit = lookup(SIMPLE, m[1]) ?? lookup(SIMPLE, m[1].toLowerCase());
    if (unit) return { unit, length: lead + m[0].length };
  }
  if ((m = LENGTH_AT.exec(rest))) return { unit: lookup(LENGTH, m[1].toLowerCase())!, length: lead + m[0].length };
  return undefined;
}

// Unit words a question names without a number ("How many hours …?", "… in square meters?"): only spelled-out or
// unmistakable forms, since a lone "m" or "s" in prose is not a unit.
const NAMED = new RegExp(
  `\\b(?:(?:square|sq\\.?)\\s+(?:${alternatives(LENGTH)})|${alternatives(SPEED)}|` +
    'kilomet(?:er|re)s|centimet(?:er|re)s|millimet(?:er|re)s|met(?:er|re)s|miles|feet|inches|yards|km|cm|mm|' +
    'millilit(?:er|re)s|lit(?:er|re)s|ml|mL|kilograms|grams|kg|pounds|ounces|seconds|minutes|hours|days|weeks|' +
    'cents|pence|dollars|euros|percentage|percent|per cent)\\b|[€$£%]|(?:cm|km|m)²',
  'gi',
);

/** The units a text names, with or without a number: what a problem's question asks its answer in. */
export function unitsNamed(text: string): UnitName[] {
  const out = new Set<UnitName>();
  for (const m of text.matchAll(NAMED)) {
    const word = m[0];
    if (/^percentage$/i.test(word)) out.add('percent');
    else if (/^pounds$/i.test(word)) out.add(/£/.test(text) ? 'money' : 'lb');
    else {
      const u = unitAt(word.replace(/²$/, '^2'));
      if (u) out.add(u.unit);
    }
  }
  return [...out];
}

/**
 * The units a problem's answer is in: those its question names ("How many hours …?"), else every unit the problem
 * writes after a number. `unitsIn` reads the latter (the number reader's units).
 */
export function answerUnits(problem: string, unitsIn: readonly UnitName[]): UnitName[] {
  const sentences = problem.split(/(?<=[.?!])\s+/);
  const question = sentences.filter((s) => s.includes('?')).at(-1) ?? sentences.at(-1) ?? '';
  const asked = unitsNamed(question.replace(/\bOptions?:.*$/is, ''));
  return asked.length > 0 ? asked : [...new Set(unitsIn)];
}

/** `value` in unit `from` expressed in unit `to`, when both measure the same thing and differ; else undefined. */
export function convert(value: Rational, from: UnitName, to: UnitName): number | undefined {
  if (from === to || from === 'percent' || to === 'percent') return undefined;
  const x = Number(value.n) / Number(value.d);
  if (from === 'cent' && to === 'money') return x / 100;
  if (from === 'money' && to === 'cent') return x * 100;
  if (['cent', 'money'].includes(from) || ['cent', 'money'].includes(to)) return undefined;
  const f = factor(from, to);
  return f === undefined ? undefined : x * f;
}

/** How many `to` make one `from` (every unit here is linear: no offsets), or undefined; asked once per pair. */
const factors = new Map<string, number | undefined>();
function factor(from: UnitName, to: UnitName): number | undefined {
  const key = `${from}\u0000${to}`;
  if (!factors.has(key)) {
    try {
      const [a, b] = [inPounds(from), inPounds(to)];
      const q = Qty(a.scale, a.unit);
      factors.set(key, q.isCompatible(b.unit) ? q.to(b.unit).scalar / b.scale : undefined);
    } catch {
      factors.set(key, undefined);
    }
  }
  return factors.get(key);
}

/** js-quantities' ounce is 28.3495231 g, cut short; the international ounce is exactly a sixteenth of a pound. */
const inPounds = (unit: UnitName): { scale: number; unit: string } => (unit === 'oz' ? { scale: 1 / 16, unit: 'lb' } : { scale: 1, unit });

/** A float from a conversion equal to the exact answer, to within the conversion's rounding. */
export function sameValue(x: number, answer: Rational): boolean {
  const a = Number(answer.n) / Number(answer.d);
  return Math.abs(x - a) <= 1e-9 * Math.max(1, Math.abs(a)) || compare(rational(Math.round(x * 1e6), 1e6), answer) === 0;
}
