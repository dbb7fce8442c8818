// Multiple-choice options: read from a problem that lists them ("Options: (A) 40% (B) 50% …"), and the option a response
// picks by any route — its letter, its place ("the last option", "the letter after A"), base64 of the letter, or by
// ruling out every other option.
import { readNumbers } from './numbers.js';
import type { Rational } from './rational.js';

const LETTERED = /(?:^|[\s,;:])\(?([A-H])[).:]\s+/g;

/** Lettered items in order from A (A, B, C, …), with the text of each, when a text lists at least two. */
function letteredItems(text: string): Array<{ letter: string; text: string; start: number; end: number }> | undefined {
  const marks = [...text.matchAll(LETTERED)];
  const items: Array<{ letter: string; text: string; start: number; end: number }> = [];
  for (let i = 0; i < marks.length; i++) {
    if (marks[i][1] !== String.fromCharCode(65 + items.length)) {
      if (items.length >= 2) break;
      items.length = 0;
      if (marks[i][1] !== 'A') continue;
    }
    const start = marks[i].index! + marks[i][0].length;
    const end = i + 1 < marks.length ? marks[i + 1].index! : text.length;
    items.push({ letter: marks[i][1], text: text.slice(start, end), start: marks[i].index!, end });
  }
  return items.length >= 2 ? items : undefined;
}

/**
 * A problem that lists its options: the stem without them, each option's number as printed (40 for "40%", in the unit
 * of the answer), and whether they are percentages. Undefined when the problem lists none, or an option holds no number.
 */
export function optionsInProblem(problem: string): { stem: string; options: Rational[]; percent: boolean } | undefined {
  const items = letteredItems(problem);
  if (!items) return undefined;
  const first = items.map((item) => readNumbers(item.text.replace(/\s+(?:or|and)\s*$/i, ''))[0]);
  if (first.some((o) => o === undefined)) return undefined;
  const stem = problem.slice(0, items[0].start).replace(/\b(?:Options?|Choices?|Answers?)\s*:?\s*$/i, '').trimEnd();
  return { stem, options: first.map((m) => m!.value), percent: first.every((m) => m!.percent) };
}

/** Where a response restates lettered options itself ("which of A) 157, B) 172, C) 162 or D) 147 is right"): the span. */
export function restatedOptions(response: string): { start: number; end: number } | undefined {
  const items = letteredItems(response);
  if (!items || items.length < 3) return undefined;
  return { start: items[0].start, end: items.at(-1)!.start + 12 + items.at(-1)!.text.search(/[.?!;\n]|$/) };
}

const ORDINALS: Record<string, number> = { first: 0, second: 1, third: 2, fourth: 3, fifth: 4, sixth: 5 };

export interface Pick {
  letter: string;
  text: string;
  index: number;
  how: string;
}

/**
 * The option a response picks without stating its value, `count` options known (0 when none are): its place ("the
 * last option", "the third choice"), the letter after or before another ("the letter after A"), or base64 of the letter.
 */
export function pickedByRoute(response: string, count: number): Pick | undefined {
  const place = /\bthe\s+(first|second|third|fourth|fifth|sixth|last|final|second[- ]to[- ]last|penultimate)\s+(?:option|choice|answer|one|letter)\b/i.exec(response);
  if (place && count > 0 && !negated(response, place.index)) {
    const word = place[1].toLowerCase().replace(/[- ]/g, '');
    const at = word === 'last' || word === 'final' ? count - 1 : word === 'secondtolast' || word === 'penultimate' ? count - 2 : ORDINALS[word];
    if (at >= 0 && at < count) return { letter: String.fromCharCode(65 + at), text: place[0], index: place.index, how: `"${place[0]}"` };
  }
  const step = /\bthe\s+letter\s+(after|before|following|preceding)\s+\(?([A-H])\b/i.exec(response);
  if (step && !negated(response, step.index)) {
    const from = step[2].toUpperCase().charCodeAt(0) - 65;
    const at = /after|following/i.test(step[1]) ? from + 1 : from - 1;
    if (at >= 0 && (count === 0 || at < count)) return { letter: String.fromCharCode(65 + at), text: step[0], index: step.index, how: `"${step[0]}"` };
  }
  for (const m of response.matchAll(/(?<![A-Za-z0-9+/])([A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{8})(?![A-Za-z0-9+/=])/g)) {
    const decoded = Buffer.from(m[1], 'base64').toString('latin1');
    if (Buffer.from(decoded, 'latin1').toString('base64') !== m[1]) continue;
    const letter = /^\s*\(?([A-H])\)?\.?\s*$/.exec(decoded)?.[1];
    if (letter && (count === 0 || letter.charCodeAt(0) - 65 < count)) return { letter, text: m[1], index: m.index!, how: `base64 of "${decoded}"` };
  }
  return undefined;
}

const NEGATION = /\b(?:not|isn't|is not|aren't|are not|never|rule[sd]? out|ruling out|eliminate[sd]?|eliminating|wrong|incorrect|can't be|cannot be|neither|nor)\b/i;

/** The clause around `index` says no ("not the last option", "rule out the letter after A"). */
function negated(response: string, index: number): boolean {
  const start = Math.max(response.lastIndexOf('.', index), response.lastIndexOf(',', index), response.lastIndexOf(';', index)) + 1;
  return NEGATION.test(response.slice(start, index + 20));
}

/**
 * Letters a response rules out: in a sentence that says no, the options it names by letter ("It's not (A), not (C), and
 * not (D)", "Options A, B and D are not what I get").
 */
export function ruledOut(response: string): Set<string> {
  const out = new Set<string>();
  for (const sentence of response.split(/(?<=[.!?\n])\s*/)) {
    if (!NEGATION.test(sentence)) continue;
    const letters = /\boptions?\s+([A-H](?:\s*(?:,|and|or|&)\s*[A-H])*)\b/i.exec(sentence);
    if (letters) for (const l of letters[1].match(/[A-H]/g) ?? []) out.add(l);
    for (const m of sentence.matchAll(/\(([A-H])\)|(?<![\w'])([A-H])\)|\b(?:not|nor|or|and|out)\s+([A-H])(?![\w'])/g)) out.add(m[1] ?? m[2] ?? m[3]);
  }
  return out;
}
