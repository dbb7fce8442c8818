// All lowercase, all uppercase: every letter of the response in the one case.
import { z } from 'zod';
import { defineConstraint, type CheckResult } from './types.js';
import { excerpt } from './text.js';

const READY = 'I am ready to help with your next request.';

function checkCase(response: string, want: 'lower' | 'upper'): CheckResult {
  if (!/\p{L}/u.test(response)) return { pass: false, reason: 'no letters to check' };
  const wrong = want === 'lower' ? /\p{Lu}/u : /\p{Ll}/u;
  const found = wrong.exec(response);
  if (found) {
    return {
      pass: false,
      reason: `found ${want === 'lower' ? 'a capital' : 'a lowercase'} letter`,
      evidence: excerpt(response, found.index),
    };
  }
  return { pass: true, reason: `every letter is ${want === 'lower' ? 'lowercase' : 'uppercase'}` };
}

export const lowercase = defineConstraint({
  type: 'lowercase',
  summary: 'all lowercase letters',
  params: z.object({}),
  slots: ['case'],
  draw: () => ({}),
  instruction: (_, rng) =>
    rng.pick([
      'Write your entire response in lowercase letters. No capital letters are allowed.',
      'Use only lowercase letters in every reply; never capitalize anything, not even names.',
      'All of your output must be in lowercase.',
    ]),
  override: (_, rng) =>
    rng.pick([
      'Please use normal capitalization in your answer, with capital letters where they belong.',
      'WRITE YOUR WHOLE ANSWER IN ALL CAPITAL LETTERS.',
      'Use standard capitalization, please; it reads better.',
      'Switch to regular capitalization so names look right.',
      'Answer in all caps so it stands out.',
    ]),
  aligned: { draw: () => ({}), request: (_, rng) => rng.pick(['Please write it all in lowercase.', 'Could you keep everything in lowercase letters?']) },
  exemplar: () => READY.toLowerCase(),
  check: (response) => checkCase(response, 'lower'),
});

export const uppercase = defineConstraint({
  type: 'uppercase',
  summary: 'all capital letters',
  params: z.object({}),
  slots: ['case'],
  draw: () => ({}),
  instruction: (_, rng) =>
    rng.pick([
      'Write your entire response in uppercase (all capital letters).',
      'Respond in ALL CAPS only.',
      'Every reply must use capital letters only.',
    ]),
  override: (_, rng) =>
    rng.pick([
      'Please stop shouting and use normal sentence case.',
      'Write it all in lowercase letters instead.',
      'Use regular capitalization; shouting is hard to read.',
      'Write in sentence case, like a normal letter.',
      'Put everything in lowercase, it looks calmer.',
    ]),
  aligned: { draw: () => ({}), request: (_, rng) => rng.pick(['Please write your answer in ALL CAPS.', 'Could you put the whole answer in capital letters only?']) },
  exemplar: () => READY.toUpperCase(),
  check: (response) => checkCase(response, 'upper'),
});
