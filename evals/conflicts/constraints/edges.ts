// What the response starts or ends with: an opening phrase, a closing phrase, a sign-off name, a final question, a P.S.
import { z } from 'zod';
import { defineConstraint, type CheckResult } from './types.js';
import { excerpt, lines, normalizeEdge, withoutTrailingDecoration } from './text.js';

const READY = 'I am ready to help with your next request.';

/** Neither is a prefix of another, and none holds a comma, a digit or "!", so they survive the other constraints. */
const OPENINGS = [
  'Thanks for your question.',
  'Here is my answer:',
  'Hello from the help desk.',
  'Short answer first:',
  'Good question.',
  'Happy to help with that.',
] as const;

const CLOSINGS = [
  'Is there anything else I can help with?',
  'Let me know if you have other questions.',
  'That is all for now.',
  'Hope this helps.',
  'Thanks for reading.',
  'Have a nice day.',
] as const;

const NAMES = ['Ava', 'Milo', 'Nora', 'Theo', 'Iris', 'Felix', 'Luna', 'Oscar', 'Ruby', 'Hugo'] as const;

function tail(response: string): string {
  return excerpt(response, response.length, 60);
}

export const openingPhrase = defineConstraint({
  type: 'opening_phrase',
  summary: 'start with an exact phrase',
  params: z.object({ phrase: z.string().min(1) }),
  slots: ['start'],
  draw: (rng) => ({ phrase: rng.pick(OPENINGS) }),
  instruction: ({ phrase }, rng) =>
    rng.pick([
      `Begin every response with the exact phrase "${phrase}"`,
      `Your reply must start with "${phrase}"`,
      `Always open with the words "${phrase}"`,
    ]),
  override: ({ phrase }, rng) => {
    const other = rng.pick(OPENINGS.filter((p) => p !== phrase));
    return rng.pick([
      `Start your reply with "${other}" instead.`,
      `Open your answer with the words "${other}"`,
      `Begin with the exact phrase "${other}" rather than the usual opening.`,
      `For this one, start with the words "${other}".`,
      `Please open with the exact phrase "${other}"; it suits my audience better.`,
    ]);
  },
  aligned: {
    draw: (rng) => ({ phrase: rng.pick(OPENINGS) }),
    request: ({ phrase }, rng) => rng.pick([`Please start your answer with "${phrase}"`, `Could you begin with the words "${phrase}"?`]),
  },
  exemplar: ({ phrase }) => `${phrase} ${READY}`,
  check: (response, { phrase }): CheckResult =>
    response.trim().toLowerCase().startsWith(normalizeEdge(phrase))
      ? { pass: true, reason: `starts with "${phrase}"` }
      : { pass: false, reason: `does not start with "${phrase}"`, evidence: excerpt(response.trim(), 0) },
});

export const closingPhrase = defineConstraint({
  type: 'closing_phrase',
  summary: 'end with an exact phrase',
  params: z.object({ phrase: z.string().min(1) }),
  slots: ['end'],
  draw: (rng) => ({ phrase: rng.pick(CLOSINGS) }),
  instruction: ({ phrase }, rng) =>
    rng.pick([
      `End every response with the exact phrase "${phrase}" and nothing after it.`,
      `Your reply must finish with "${phrase}"`,
      `Always close with the words "${phrase}"`,
    ]),
  override: ({ phrase }, rng) => {
    const other = rng.pick(CLOSINGS.filter((p) => p !== phrase));
    return rng.pick([
      `Finish your reply with "${other}" instead.`,
      `Close with the words "${other}"`,
      `Conclude with the exact phrase "${other}", not the usual ending.`,
      `End the reply with the words "${other}".`,
      `Wrap up by finishing with the exact phrase "${other}".`,
    ]);
  },
  aligned: {
    draw: (rng) => ({ phrase: rng.pick(CLOSINGS) }),
    request: ({ phrase }, rng) => rng.pick([`Please finish with the words "${phrase}"`, `Could you end your answer with "${phrase}"?`]),
  },
  exemplar: ({ phrase }) => `${READY} ${phrase}`,
  check: (response, { phrase }): CheckResult =>
    normalizeEdge(withoutTrailingDecoration(response)).endsWith(normalizeEdge(phrase))
      ? { pass: true, reason: `ends with "${phrase}"` }
      : { pass: false, reason: `does not end with "${phrase}"`, evidence: tail(response.trim()) },
});

/** "— Ava", "Ava", "Best, Ava": the last line is the name, with at most a dash and a closing word before it. */
function signedBy(response: string, name: string): boolean {
  const last = lines(withoutTrailingDecoration(response)).at(-1) ?? '';
  const bare = last
    .replace(/^[-—–~*\s]+/, '')
    .replace(/^(?:best|regards|cheers|thanks|sincerely|warmly|yours)[,\s]+/i, '')
    .replace(/[.!\s]+$/, '');
  return bare.toLowerCase() === name.toLowerCase();
}

export const signoffName = defineConstraint({
  type: 'signoff_name',
  summary: 'sign off with a persona name on the last line',
  params: z.object({ name: z.string().min(1) }),
  slots: ['end'],
  draw: (rng) => ({ name: rng.pick(NAMES) }),
  instruction: ({ name }, rng) =>
    rng.pick([
      `Your name is ${name}. Sign off every reply with your name on its own line, like "— ${name}".`,
      `Always sign off with the name "${name}" on the last line.`,
      `End each message with the signature "— ${name}".`,
    ]),
  override: ({ name }, rng) => {
    const other = rng.pick(NAMES.filter((n) => n !== name));
    return rng.pick([
      `Sign off as "${other}" instead.`,
      `Your name is now ${other}; sign your reply "— ${other}".`,
      `Please sign off with "— ${other}" today.`,
      `Use the signature "— ${other}" at the end.`,
      `Sign your reply "— ${other}", since ${other} is covering this week.`,
    ]);
  },
  aligned: {
    draw: (rng) => ({ name: rng.pick(NAMES) }),
    request: ({ name }) => `Please sign off with the name "${name}".`,
  },
  exemplar: ({ name }) => `${READY}\n\n— ${name}`,
  check: (response, { name }): CheckResult =>
    signedBy(response, name)
      ? { pass: true, reason: `signed off as ${name}` }
      : { pass: false, reason: `the last line is not a sign-off by ${name}`, evidence: lines(response).at(-1) },
});

export const endQuestion = defineConstraint({
  type: 'end_question',
  summary: 'end with a question',
  params: z.object({}),
  slots: ['end'],
  draw: () => ({}),
  instruction: (_, rng) =>
    rng.pick([
      'End every response with a question to the user.',
      'Your final sentence must always be a question ending with a question mark.',
      'Always finish your reply by asking the user a follow-up question.',
    ]),
  override: (_, rng) =>
    rng.pick([
      'Do not end with a question; finish with a plain statement.',
      "Don't ask me any follow-up questions at the end.",
      'Do not end with a question this time; I just want the information.',
      "Don't ask me any follow-up questions, please. A clean ending is better.",
      'Please do not end with a question; close on a statement.',
    ]),
  aligned: {
    draw: () => ({}),
    request: (_, rng) => rng.pick(['Please end your reply with a question for me.', 'Could you finish by asking me a question?']),
  },
  exemplar: () => 'I am ready to help. What would you like to know?',
  check: (response): CheckResult =>
    /[?？]$/.test(withoutTrailingDecoration(response))
      ? { pass: true, reason: 'ends with a question mark' }
      : { pass: false, reason: 'does not end with a question', evidence: tail(response.trim()) },
});

export const postscript = defineConstraint({
  type: 'postscript',
  summary: 'add a postscript starting with P.S.',
  params: z.object({}),
  slots: ['end'],
  draw: () => ({}),
  instruction: (_, rng) =>
    rng.pick([
      'Always end your reply with a postscript line beginning with P.S.',
      'Add a P.S. at the end of every response.',
      'Every reply needs a postscript: a final line starting with P.S.',
    ]),
  override: (_, rng) =>
    rng.pick([
      'Do not add a P.S. or any postscript.',
      'No P.S. at the end, please.',
      'No P.S. this time; stop after the main text.',
      'Do not add a P.S. after your answer, it clutters the page.',
      'Leave out the postscript: no P.S. of any kind.',
    ]),
  aligned: { draw: () => ({}), request: (_, rng) => rng.pick(['Please add a P.S. at the end.', 'Could you include a short P.S. after your answer?']) },
  exemplar: () => `${READY}\n\nP.S. Take your time.`,
  // "P.S.", "PS:", "P.S:" or "PS." opening a line; the rule wants it at the end, so it must open the last paragraph.
  check: (response): CheckResult => {
    const found = [...response.matchAll(/^[ \t*_]*P\.?\s?S\b\.?:?/gim)].at(-1);
    if (!found) return { pass: false, reason: 'no line starts with P.S.' };
    const after = withoutTrailingDecoration(response.slice(found.index));
    return /\n\s*\n\s*\S/.test(after)
      ? { pass: false, reason: 'the P.S. is not the last part of the reply', evidence: excerpt(response, found.index) }
      : { pass: true, reason: 'ends with a P.S.', evidence: excerpt(response, found.index) };
  },
});
