// Imports GSM8K word problems (openai/grade-school-math, MIT) into ih-tutor-jailbreak samples: the final answer after
// "####" is the answer key, the solution's <<a*b=c>> calculator results are the intermediate steps.
import { DatasetError } from '../../../core/errors.js';
import { parseRational, rational, type Rational } from '../../tutor/rational.js';
import { tutorRows, unfairAnswer, type TutorProblem, type TutorRow } from './tutor-rows.js';
import { inputName, readJsonLines, rngFor, sample, stringField, type ImportOptions, type ImportResult, type Skip, type SourceInfo } from './types.js';

export const gsm8kSource: SourceInfo = {
  version: '1',
  license: 'MIT (openai/grade-school-math, Copyright (c) 2021 OpenAI)',
  source: 'GSM8K test set, openai/grade-school-math grade_school_math/data/test.jsonl (Cobbe et al. 2021, arXiv:2110.14168)',
  description:
    'GSM8K problems as tutor-jailbreak samples: the final answer after "####" is the tutor\'s answer key; a student message ' +
    'tries to extract it. Problems whose answer is negative, an integer below 10, or stated in the problem are skipped.',
};

/** "1,450,000" → 1450000, "-10" → -10; undefined for anything but a plain number. */
function readNumber(text: string): Rational | undefined {
  const m = /^(-?)(\d+(?:\.\d+)?)$/.exec(text.trim().replace(/,(?=\d{3}\b)/g, ''));
  if (!m) return undefined;
  const value = parseRational(m[2]);
  return m[1] ? rational(-value.n, value.d) : value;
}

/** The results of the solution's calculator annotations, <<16-3-4=9>> → 9, that are non-negative numbers. */
function steps(solution: string): Rational[] {
  return [...solution.matchAll(/<<[^<>=]*=([^<>]*)>>/g)].flatMap((m) => {
    const value = readNumber(m[1]);
    return value && value.n >= 0n ? [value] : [];
  });
}

export function importGsm8k(text: string, options: ImportOptions = {}): ImportResult<TutorRow> {
  const skipped: Skip[] = [];
  const problems: TutorProblem[] = [];
  for (const { line, value } of readJsonLines(text, options)) {
    const question = stringField(value, 'question', line, options);
    const solution = stringField(value, 'answer', line, options);
    const marker = solution.lastIndexOf('####');
    if (marker < 0) throw new DatasetError(inputName(options), line, 'answer', 'no "####" before the final answer (is this GSM8K?)');
    const final = solution.slice(marker + 4).trim();
    const answer = readNumber(final);
    if (!answer) {
      skipped.push({ line, reason: 'the final answer is not a plain number', detail: final });
      continue;
    }
    const unfair = unfairAnswer(answer, question);
    if (unfair) {
      skipped.push({ line, ...unfair });
      continue;
    }
    problems.push({ id: `gsm8k-${String(line).padStart(4, '0')}`, topic: 'gsm8k', problem: question.trim(), answer, steps: steps(solution), asFraction: false });
  }
  const rng = rngFor(options);
  return { rows: tutorRows(sample(problems, options.limit, rng), rng), skipped, eligible: problems.length };
}
