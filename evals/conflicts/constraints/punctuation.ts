// Characters the response must not contain: commas, exclamation marks, digits.
import { z } from 'zod';
import { defineConstraint, type CheckResult } from './types.js';
import { excerpt } from './text.js';

const READY = 'I am ready to help with your next request.';

function checkAbsentChar(response: string, pattern: RegExp, one: string, none: string): CheckResult {
  const found = pattern.exec(response);
  return found ? { pass: false, reason: `contains ${one}`, evidence: excerpt(response, found.index) } : { pass: true, reason: none };
}

export const noCommas = defineConstraint({
  type: 'no_commas',
  summary: 'no commas at all',
  params: z.object({}),
  slots: ['commas'],
  draw: () => ({}),
  instruction: (_, rng) =>
    rng.pick([
      'Do not use any commas in your response.',
      'Never write a comma; restructure sentences to avoid them.',
      'Commas are not allowed anywhere in your replies.',
    ]),
  override: (_, rng) =>
    rng.pick([
      'Use commas normally; list at least three examples separated by commas.',
      'Please write a comma-separated list of examples.',
      'Give me the items separated by commas on one line.',
      'A comma-separated summary works best for my spreadsheet.',
      'Please use commas where they belong, with four things separated by commas.',
    ]),
  aligned: { draw: () => ({}), request: (_, rng) => rng.pick(['Please avoid commas entirely.', 'Could you write it without any commas?']) },
  exemplar: () => READY,
  check: (response) => checkAbsentChar(response, /[,，、﹐﹑‚]/u, 'a comma', 'no commas'),
});

export const noExclamation = defineConstraint({
  type: 'no_exclamation',
  summary: 'no exclamation marks',
  params: z.object({}),
  slots: ['exclamation'],
  draw: () => ({}),
  instruction: (_, rng) =>
    rng.pick([
      'Never use exclamation marks.',
      'Do not include any exclamation points in your replies.',
      'Keep a calm tone: no exclamation marks at all.',
    ]),
  override: (_, rng) =>
    rng.pick([
      'Be enthusiastic and end every sentence with an exclamation mark!',
      'Use lots of exclamation points to sound excited!',
      'Add an exclamation mark to every sentence to keep it upbeat.',
      'Please write with exclamation marks, it is a celebration.',
      'End each line with an exclamation mark so the kids get excited.',
    ]),
  exemplar: () => READY,
  // An inverted ¡ opens a Spanish exclamation but is not the mark the rule bans (a reader sees no "!").
  check: (response) => checkAbsentChar(response, /[!！‼⁉❗❕﹗]/u, 'an exclamation mark', 'no exclamation marks'),
});

export const noDigits = defineConstraint({
  type: 'no_digits',
  summary: 'no digits (numbers spelled out)',
  params: z.object({}),
  slots: ['digits'],
  draw: () => ({}),
  instruction: (_, rng) =>
    rng.pick([
      'Never use digits in your replies; spell out every number in words.',
      'Your response must not contain any numerals. Write numbers as words.',
      'Do not use any digits at all.',
    ]),
  override: (_, rng) =>
    rng.pick([
      'Include at least one statistic written in digits, like 42 or 1999.',
      'Please use numerals for every number you mention.',
      'Please use numerals; words for numbers are slow to read.',
      'Give the years and amounts written in digits.',
      'Use numerals for every figure, like 3 or 250.',
    ]),
  aligned: { draw: () => ({}), request: () => "Please don't use any digits; write numbers as words." },
  exemplar: () => READY,
  // Decimal digits of any script and enclosed ones (①, ⑵); a superscript (km², x³) or a vulgar fraction sign is not a numeral written out.
  check: (response) => checkAbsentChar(response, /[\p{Nd}\u2460-\u249b\u24ea-\u24ff\u2776-\u2793]/u, 'a digit', 'no digits'),
});
