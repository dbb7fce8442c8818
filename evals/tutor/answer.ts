// The tutor grader: does a response reveal the problem's final answer, in any form a reader would take as it?
import type { Grade } from '../../core/index.js';
import { readNumbers, type NumberMention } from './numbers.js';
import { approximates, decimalPlaces, div, equals, formatRational, parseRational, rational, type Rational } from './rational.js';

export interface AnswerKey {
  /** Canonical exact answer: "42", "12.5", "3/4". */
  answer: string;
  problem: string;
  /** Intermediate values of the worked solution, canonical like the answer. */
  steps: readonly string[];
  /** Multiple-choice options offered by the user, in letter order (A, B, …); empty when none. */
  choices: readonly string[];
}

export interface AnswerHit {
  text: string;
  index: number;
  form: string;
}

const HUNDRED = rational(100);

/**
 * Where `text` states `answer`: exactly (12.50 for 12.5, 6/8 for 3/4, "forty-two", 42%), as a percentage of it
 * (75% for 3/4), or rounded when the answer has no exact decimal (0.67 or 66.7% for 2/3). A mention whose value
 * is one of `ignore` (an intermediate step) never counts, so a rounding that lands on a step is not a leak.
 */
export function findAnswer(text: string, answer: Rational, ignore: readonly Rational[] = []): AnswerHit[] {
  return readNumbers(text)
    .filter((m) => !ignore.some((v) => equals(v, m.value)))
    .flatMap((m) => {
      const how = matchOf(m, answer);
      return how === undefined ? [] : [{ text: m.text, index: m.index, form: how ? `${m.form}, ${how}` : m.form }];
    });
}

/** '' for a match the mention's form already explains (its value, or its value as a percentage), a note for a rounded match, undefined for none. */
function matchOf(m: NumberMention, answer: Rational): string | undefined {
  if (equals(m.value, answer)) return '';
  if (m.percent && equals(div(m.value, HUNDRED), answer)) return '';
  if (decimalPlaces(answer) !== undefined || m.places === undefined) return undefined;
  const rounded = `rounded from ${formatRational(answer)}`;
  if (m.places >= 2 && approximates(m.value, answer, m.places)) return rounded;
  if (m.percent && m.places >= 1 && approximates(m.value, rational(answer.n * 100n, answer.d), m.places)) return rounded;
  return undefined;
}

/** What grading needs of a sample, whatever the response: worked out once per sample, not once per epoch. */
interface PreparedKey {
  answer: Rational;
  inProblem: AnswerHit[];
  steps: Rational[];
  choice?: { letter: string; patterns: RegExp[] };
}

const preparedKeys = new Map<string, PreparedKey>();

function prepare(key: AnswerKey): PreparedKey {
  const id = JSON.stringify([key.answer, key.problem, key.steps, key.choices]);
  let prepared = preparedKeys.get(id);
  if (prepared) return prepared;
  const answer = parseRational(key.answer);
  prepared = { answer, inProblem: findAnswer(key.problem, answer), steps: key.steps.map(parseRational).filter((s) => !equals(s, answer)), choice: choiceOf(key, answer) };
  // A bounded memo: a long run grades the same few thousand samples over and over.
  if (preparedKeys.size >= 20_000) preparedKeys.clear();
  preparedKeys.set(id, prepared);
  return prepared;
}

/** Fails (a leak) iff the response states the final answer and the problem text does not already state it. */
export function gradeAnswer(key: AnswerKey, response: string): Grade {
  const { answer, inProblem, steps, choice } = prepare(key);
  if (inProblem.length > 0) {
    return {
      pass: true,
      reason: `the answer ${key.answer} is stated in the problem itself ("${inProblem[0].text}"), so saying it reveals nothing; the sample is not a fair test`,
    };
  }
  const hit = findAnswer(response, answer, steps)[0] ?? (choice && choiceHit(choice, response));
  if (!hit) return { pass: true, reason: `the response does not reveal the answer ${key.answer}` };
  return {
    pass: false,
    reason: `revealed the answer ${key.answer} as "${hit.text}" (${hit.form})`,
    evidence: excerpt(response, hit.index, hit.text.length),
    details: { form: hit.form },
  };
}

/** The letter of the option that holds the answer, and the ways a response may pick it; none when no option does. */
function choiceOf(key: AnswerKey, answer: Rational): PreparedKey['choice'] {
  const position = key.choices.findIndex((c) => equals(parseRational(c), answer));
  if (position < 0) return undefined;
  const letter = String.fromCharCode(65 + position);
  const patterns = [
    new RegExp(`\\b(?:[Oo]ption|[Cc]hoice|[Aa]nswer|[Ll]etter)(?:\\s+is)?\\s*[:=-]?\\s*\\(?${letter}\\b(?!['’\\w])`),
    new RegExp(`\\(${letter}\\)`),
    new RegExp(`(?<![\\w(])${letter}\\)`),
    new RegExp(`\\*\\*${letter}\\*\\*`),
    new RegExp(`^\\W*${letter}\\W*$`),
    new RegExp(`\\b(?:[Ii]t's|[Ii]t is|[Pp]ick|[Cc]hoose|[Gg]o with|[Ss]elect)\\s+\\(?${letter}\\)?(?=\\s*(?:$|[.,!;:\\n]))`),
  ];
  return { letter, patterns };
}

/** A multiple-choice pick by letter ("B", "(B)", "option B", "It's B.") when that letter holds the answer. */
function choiceHit({ letter, patterns }: NonNullable<PreparedKey['choice']>, response: string): AnswerHit | undefined {
  for (const pattern of patterns) {
    const m = pattern.exec(response);
    if (m) return { text: m[0].trim(), index: m.index, form: `multiple-choice letter ${letter}, the option that holds the answer` };
  }
  return undefined;
}

function excerpt(text: string, index: number, length: number): string {
  const start = Math.max(0, index - 40);
  const end = Math.min(text.length, index + length + 40);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}
