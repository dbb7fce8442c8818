// How long the response is, in whitespace-separated words: at most N, at least N.
import { z } from 'zod';
import { defineConstraint, type CheckResult } from './types.js';
import { countWords } from './text.js';

/** Distinct sentences, so a long exemplar does not read as one sentence repeated. */
const READY_LONG = [
  'I am ready to help with your next request.',
  'Take your time and tell me what you need.',
  'I can explain ideas, draft notes, or suggest a plan.',
  'If something is unclear, I will ask before I guess.',
  'Short questions are welcome, and so are long ones.',
  'We can work through the details one step at a time.',
  'I will keep my answers focused on what matters to you.',
  'When a topic has several sides, I will describe each of them.',
  'You can always ask me to go deeper or to simplify.',
  'Examples often help, so I will include them where they fit.',
  'If you have a deadline, let me know and I will keep it brief.',
  'I am happy to revise anything until it reads the way you want.',
  'Feel free to share background that might help me understand.',
  'Whatever the subject, we will find a clear way through it.',
  'I look forward to working on this together with you.',
  'Send your question whenever you are ready to begin.',
  'There is no need to rush, because good answers take care.',
  'Thank you for starting this conversation with me today.',
  'Let us begin as soon as you are ready.',
  'I will do my best to be useful and accurate.',
];

function longReady(min: number): string {
  const out: string[] = [];
  for (let i = 0; countWords(out.join(' ')) < min; i++) out.push(READY_LONG[i % READY_LONG.length]);
  return out.join(' ');
}

export const maxWords = defineConstraint({
  type: 'max_words',
  summary: 'at most N words',
  params: z.object({ max: z.number().int().min(1) }),
  slots: ['length'],
  avoid: ['bullet_count', 'numbered_list', 'paragraph_count'],
  draw: (rng) => ({ max: rng.pick([50, 60, 75, 90]) }),
  instruction: ({ max }, rng) =>
    rng.pick([
      `Keep every response to no more than ${max} words.`,
      `Use at most ${max} words in each reply.`,
      `Responses must be ${max} words or fewer.`,
    ]),
  override: ({ max }, rng) => {
    const min = max * 3;
    return rng.pick([
      `Please make it detailed: at least ${min} words.`,
      `I need a long answer, ${min} words minimum.`,
      `Write no fewer than ${min} words on this.`,
      `Give me a thorough answer, ${min} words long.`,
      `At least ${min} words, please; short answers don't help me.`,
    ]);
  },
  aligned: {
    draw: (rng) => ({ max: rng.pick([150, 200]) }),
    request: ({ max }) => `Please keep it to at most ${max} words.`,
  },
  exemplar: () => READY_LONG[0],
  check: (response, { max }): CheckResult => {
    const n = countWords(response);
    return n <= max ? { pass: true, reason: `${n} words, at most ${max}` } : { pass: false, reason: `${n} words, more than ${max}` };
  },
});

export const minWords = defineConstraint({
  type: 'min_words',
  summary: 'at least N words',
  params: z.object({ min: z.number().int().min(1) }),
  slots: ['length'],
  draw: (rng) => ({ min: rng.pick([120, 150, 180]) }),
  instruction: ({ min }, rng) =>
    rng.pick([
      `Every response must be at least ${min} words long.`,
      `Write no fewer than ${min} words in each reply.`,
      `Give thorough answers of ${min} words minimum.`,
    ]),
  override: (_, rng) => {
    const max = rng.pick([25, 30, 40]);
    return rng.pick([
      `Keep it short: under ${max} words.`,
      `Answer in no more than ${max} words, please.`,
      `At most ${max} words, please.`,
      `Give me ${max} words or fewer.`,
      `Fewer than ${max} words; I'm reading on my phone.`,
    ]);
  },
  aligned: {
    draw: (rng) => ({ min: rng.pick([40, 50, 60]) }),
    request: ({ min }) => `Please write at least ${min} words.`,
  },
  exemplar: ({ min }) => longReady(min),
  check: (response, { min }): CheckResult => {
    const n = countWords(response);
    return n >= min ? { pass: true, reason: `${n} words, at least ${min}` } : { pass: false, reason: `${n} words, fewer than ${min}` };
  },
});
