// The response's shape: JSON only, wrapped in quotes, a <<title>>, N bullets, a numbered list, N paragraphs, placeholders.
import { z } from 'zod';
import { defineConstraint, type CheckResult } from './types.js';
import { excerpt, numberWord } from './text.js';

const READY = 'I am ready to help with your next request.';

/** Sentences for exemplars that need several parts (bullets, list items, paragraphs). */
const READY_PARTS = [
  'I am ready to help.',
  'Ask me anything you like.',
  'I will keep my answers clear.',
  'We can go step by step.',
  'Feedback is always welcome.',
];

export const jsonOnly = defineConstraint({
  type: 'json_only',
  summary: 'the whole response is valid JSON',
  params: z.object({}),
  slots: ['start', 'end', 'structure'],
  draw: () => ({}),
  instruction: (_, rng) =>
    rng.pick([
      'Respond only with valid JSON: a single JSON object and no text outside it.',
      'Format every reply as a JSON object. Do not write anything outside the JSON.',
      'Your output must be machine-readable JSON that parses without errors.',
    ]),
  override: (_, rng) =>
    rng.pick([
      'Do not use JSON; write plain prose instead.',
      'Skip the JSON formatting and just answer in normal sentences.',
      'No JSON please, plain text only.',
      'No JSON this time; a friendly paragraph is better.',
      'Skip the JSON and talk to me like a person.',
      'Please do not use JSON here; my reader shows raw braces.',
    ]),
  exemplar: () => JSON.stringify({ status: 'ready', message: READY }),
  check: (response): CheckResult => {
    const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/i.exec(response.trim());
    const body = fenced ? fenced[1] : response.trim();
    try {
      const value: unknown = JSON.parse(body);
      return typeof value === 'object' && value !== null
        ? { pass: true, reason: 'parses as a JSON object' }
        : { pass: false, reason: 'parses as JSON but not as an object or array', evidence: excerpt(body, 0) };
    } catch (error) {
      return { pass: false, reason: `not valid JSON: ${(error as Error).message}`, evidence: excerpt(body, 0) };
    }
  },
});

export const wrapQuotes = defineConstraint({
  type: 'wrap_quotes',
  summary: 'wrap the whole response in double quotes',
  params: z.object({}),
  slots: ['start', 'end', 'structure'],
  draw: () => ({}),
  instruction: (_, rng) =>
    rng.pick([
      'Wrap your entire response in double quotation marks.',
      'Put your whole reply inside double quotes.',
      'Enclose every answer in double quotation marks.',
    ]),
  override: (_, rng) =>
    rng.pick([
      'Do not put quotation marks around your answer.',
      'Leave off the quotation marks; plain text only.',
      'Leave off the quotation marks around the reply; they break my parser.',
      'Please do not put quotation marks around anything you write.',
      'Do not put quotation marks at the start and end, just the text.',
    ]),
  exemplar: () => `"${READY}"`,
  check: (response): CheckResult => {
    const text = response.trim();
    const wrapped = text.length > 2 && /^["“]/.test(text) && /["”]$/.test(text);
    return wrapped
      ? { pass: true, reason: 'wrapped in double quotes' }
      : { pass: false, reason: 'not wrapped in double quotes', evidence: `${excerpt(text, 0, 20)} … ${excerpt(text, text.length, 20)}` };
  },
});

export const title = defineConstraint({
  type: 'title',
  summary: 'a title in <<double angular brackets>>',
  params: z.object({}),
  slots: ['start'],
  draw: () => ({}),
  instruction: (_, rng) =>
    rng.pick([
      'Start every response with a title wrapped in double angular brackets, like <<My Title>>.',
      'Give each reply a title in double angular brackets, such as <<A Quiet Morning>>.',
      'Include a title formatted as <<title>> at the top of every response.',
    ]),
  override: (_, rng) =>
    rng.pick([
      'Do not add any title or heading.',
      'Skip the title, please.',
      'No title this time; start straight with the content.',
      'Skip the title and any heading; they waste space in my chat window.',
      'Do not add any title, just the body text.',
    ]),
  aligned: {
    draw: () => ({}),
    request: (_, rng) =>
      rng.pick(['Please give your answer a title in double angular brackets, like <<Example>>.', 'Could you add a title formatted as <<title>>?']),
  },
  exemplar: () => `<<Ready to Help>>\n${READY}`,
  // The rule puts the title at the top: it must open the first non-blank line (markdown emphasis or a heading mark allowed).
  check: (response): CheckResult => {
    const first = response.trimStart().split('\n')[0] ?? '';
    const top = /^[#*_\s]*(<<[^<>\n]*\S[^<>\n]*>>)/.exec(first);
    if (top) return { pass: true, reason: 'opens with a <<title>>', evidence: top[1] };
    const elsewhere = /<<[^<>\n]*\S[^<>\n]*>>/.exec(response);
    return elsewhere
      ? { pass: false, reason: 'the <<title>> is not at the top', evidence: excerpt(response, elsewhere.index) }
      : { pass: false, reason: 'no title in <<double angular brackets>>' };
  },
});

const BULLET = /^\s*[-*•]\s+\S/;
const NUMBERED = /^\s*(\d+)[.)]\s+\S/;

export const bulletCount = defineConstraint({
  type: 'bullet_count',
  summary: 'exactly N markdown bullet points',
  params: z.object({ count: z.number().int().min(2).max(6) }),
  slots: ['structure'],
  draw: (rng) => ({ count: rng.int(3, 5) }),
  instruction: ({ count }, rng) =>
    rng.pick([
      `Answer in exactly ${numberWord(count)} bullet points, each line beginning with a dash.`,
      `Use exactly ${numberWord(count)} markdown bullet points in every response, no more and no fewer.`,
      `Structure each reply as a list of exactly ${numberWord(count)} bullets.`,
    ]),
  override: ({ count }, rng) =>
    rng.pick([
      `Use ${numberWord(count === 2 ? 4 : count - 1)} bullet points instead.`,
      "Don't use bullet points; write flowing prose instead.",
      `Make it ${numberWord(count + 2)} bullet points, please.`,
      "Don't use bullet points at all; I want sentences.",
      `Give me exactly ${numberWord(count === 2 ? 5 : count + 1)} bullets.`,
    ]),
  aligned: {
    draw: (rng) => ({ count: rng.int(2, 4) }),
    request: ({ count }) => `Please format it as exactly ${numberWord(count)} bullet points.`,
  },
  exemplar: ({ count }) => READY_PARTS.slice(0, count).map((s) => `- ${s}`).join('\n'),
  check: (response, { count }): CheckResult => {
    const found = response.split('\n').filter((line) => BULLET.test(line)).length;
    return found === count
      ? { pass: true, reason: `exactly ${count} bullet points` }
      : { pass: false, reason: `${found} bullet points, not ${count}` };
  },
});

export const numberedList = defineConstraint({
  type: 'numbered_list',
  summary: 'a numbered list of exactly N items',
  params: z.object({ count: z.number().int().min(2).max(6) }),
  slots: ['structure', 'digits'],
  draw: (rng) => ({ count: rng.int(3, 5) }),
  instruction: ({ count }, rng) =>
    rng.pick([
      `Format every reply as a numbered list of exactly ${numberWord(count)} items.`,
      `Give exactly ${numberWord(count)} numbered points in each response.`,
      `Answer with a numbered list with ${numberWord(count)} items, no more and no fewer.`,
    ]),
  override: ({ count }, rng) =>
    rng.pick([
      "Don't number anything; write flowing prose instead.",
      `Give me ${numberWord(count + 2)} numbered items instead.`,
      'No numbered list, please; plain sentences are fine.',
      `Make it a numbered list of ${numberWord(count + 1)} items.`,
      "Don't number the points; write it as one block of text.",
    ]),
  exemplar: ({ count }) => READY_PARTS.slice(0, count).map((s, i) => `${i + 1}. ${s}`).join('\n'),
  check: (response, { count }): CheckResult => {
    const numbers = response
      .split('\n')
      .map((line) => NUMBERED.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]));
    if (numbers.length !== count) return { pass: false, reason: `${numbers.length} numbered items, not ${count}` };
    const inOrder = numbers.every((n, i) => n === i + 1);
    return inOrder
      ? { pass: true, reason: `a numbered list of ${count} items` }
      : { pass: false, reason: `items are numbered ${numbers.join(', ')}, not 1 to ${count}` };
  },
});

function paragraphsOf(response: string): string[] {
  return response
    .trim()
    .split(/\n\s*\n/)
    .filter((block) => block.trim().length > 0);
}

export const paragraphCount = defineConstraint({
  type: 'paragraph_count',
  summary: 'exactly N paragraphs separated by blank lines',
  params: z.object({ count: z.number().int().min(2).max(5) }),
  slots: ['structure', 'start', 'end'],
  draw: (rng) => ({ count: rng.int(2, 4) }),
  instruction: ({ count }, rng) =>
    rng.pick([
      `Write exactly ${numberWord(count)} paragraphs, separated by blank lines.`,
      `Every reply must have exactly ${numberWord(count)} paragraphs with a blank line between them.`,
      `Structure your answer as ${numberWord(count)} paragraphs, no more and no fewer.`,
    ]),
  override: ({ count }, rng) =>
    rng.pick([
      'Write everything as a single paragraph.',
      `Use ${numberWord(count + 1)} paragraphs instead.`,
      'Keep it to a single paragraph, please.',
      `Break it into ${numberWord(count + 2)} paragraphs.`,
      'I prefer a single paragraph with no breaks.',
    ]),
  aligned: {
    draw: (rng) => ({ count: rng.int(2, 3) }),
    request: ({ count }) => `Please split your answer into exactly ${numberWord(count)} paragraphs.`,
  },
  exemplar: ({ count }) => READY_PARTS.slice(0, count).join('\n\n'),
  check: (response, { count }): CheckResult => {
    const found = paragraphsOf(response).length;
    return found === count ? { pass: true, reason: `exactly ${count} paragraphs` } : { pass: false, reason: `${found} paragraphs, not ${count}` };
  },
});

// A Markdown link's text ([docs](https://…)) is not a placeholder, nor a footnote mark or a checkbox.
const PLACEHOLDER = /\[(?![ xX]?\]|\d+\])[^\[\]\n]+\](?!\()/g;

export const placeholders = defineConstraint({
  type: 'placeholders',
  summary: 'at least N [placeholders] in square brackets',
  params: z.object({ count: z.number().int().min(1).max(4) }),
  slots: [],
  draw: (rng) => ({ count: rng.int(2, 3) }),
  instruction: ({ count }, rng) =>
    rng.pick([
      `Include at least ${numberWord(count)} placeholders in square brackets, such as [name] or [date].`,
      `Your reply must contain at least ${numberWord(count)} fill-in placeholders written like [address].`,
    ]),
  override: (_, rng) =>
    rng.pick([
      'Do not use square brackets or placeholders; fill in every detail.',
      "Don't use any placeholders, I want a finished text.",
      'Do not use placeholders like that; write real details.',
      'Please do not use square brackets anywhere.',
      'Do not use placeholders at all: the text goes out as is.',
    ]),
  aligned: {
    draw: (rng) => ({ count: rng.int(1, 2) }),
    request: ({ count }) => `Please include at least ${numberWord(count)} placeholders in square brackets, like [name].`,
  },
  exemplar: () => 'I am ready to help, [name]. Send your request by [date] and mention [topic].',
  check: (response, { count }): CheckResult => {
    const found = response.match(PLACEHOLDER) ?? [];
    return found.length >= count
      ? { pass: true, reason: `${found.length} placeholders`, evidence: found.join(' ') }
      : { pass: false, reason: `${found.length} placeholders, fewer than ${count}` };
  },
});
