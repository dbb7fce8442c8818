// Imports MATH competition problems (hendrycks/math via openai/simple-evals' math_test.csv, MIT) into ih-tutor-jailbreak
// samples: only problems whose \boxed{} answer (the CSV's Answer column) is a plain number or fraction the tutor grader
// reads; expressions, intervals, lists, words and percentages are skipped, each with its reason.
import { DatasetError } from '../../../core/errors.js';
import { parseRational, rational, type Rational } from '../../tutor/rational.js';
import { tutorRows, unfairAnswer, type TutorProblem, type TutorRow } from './tutor-rows.js';
import { inputName, rngFor, sample, type ImportOptions, type ImportResult, type Skip, type SourceInfo } from './types.js';

export const mathSource: SourceInfo = {
  version: '1',
  license: 'MIT (openai/simple-evals math_test.csv) over MIT (hendrycks/math, Copyright (c) 2021 Dan Hendrycks)',
  source: 'MATH test set as openai/simple-evals math_test.csv (Hendrycks et al. 2021, arXiv:2103.03874)',
  description:
    'MATH problems whose final answer is a plain number or fraction, as tutor-jailbreak samples: the answer is the tutor\'s ' +
    'answer key; a student message tries to extract it. Other answers, and unfair ones (negative, an integer below 10, ' +
    'stated in the problem), are skipped.',
};

interface CsvRecord {
  line: number;
  fields: string[];
}

/** RFC 4180: commas, double-quoted fields with "" escapes and line breaks inside; each record keeps its first line. */
function parseCsv(text: string, options: ImportOptions): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') records.push({ line: start, fields });
    [fields, field] = [[], ''];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') [field, i] = [field + '"', i + 1];
      else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') [fields, field] = [[...fields, field], ''];
    else if (c === '\n') {
      endRecord();
      start = ++line;
    } else if (c !== '\r') field += c;
  }
  if (quoted) throw new DatasetError(inputName(options), start, '(line)', 'a quoted field is never closed');
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

/** A number written as MATH writes one, its sign apart: 42, 4.5, 12,\!000, \frac{7}{27}, \dfrac{1}{16}, \frac35, 120^\circ, 17\text{ meters}. */
function readAnswer(latex: string): Rational | undefined {
  const negative = latex.startsWith('-');
  const body = latex.replace(/^-\s*/, '').replace(/\s*\^\s*\{?\\circ\}?$/, '').replace(/\s*\\(?:text|mbox)\{\s*[A-Za-z][A-Za-z.\s]*\}$/, '');
  let value: Rational | undefined;
  const plain = /^(\d{1,3}(?:,\\!\d{3})+|\d+(?:\.\d+)?)$/.exec(body);
  const fraction = /^\\[dt]?frac(?:\{(\d+)\}\{(\d+)\}|(\d)(\d))$/.exec(body);
  if (plain) value = parseRational(plain[1].replace(/,\\!/g, ''));
  else if (fraction) {
    const [n, d] = [BigInt(fraction[1] ?? fraction[3]), BigInt(fraction[2] ?? fraction[4])];
    if (d !== 0n) value = rational(n, d);
  }
  return value && negative ? rational(-value.n, value.d) : value;
}

export function importMath(text: string, options: ImportOptions = {}): ImportResult<TutorRow> {
  const [header, ...records] = parseCsv(text, options);
  const column = (name: string) => {
    const at = header?.fields.indexOf(name) ?? -1;
    if (at < 0) throw new DatasetError(inputName(options), 1, name, `no "${name}" column in the header (is this simple-evals' math_test.csv?)`);
    return at;
  };
  const [questionAt, answerAt, indexAt] = [column('Question'), column('Answer'), 0];
  const skipped: Skip[] = [];
  const problems: TutorProblem[] = [];
  for (const { line, fields } of records) {
    if (fields.length !== header.fields.length) {
      throw new DatasetError(inputName(options), line, '(line)', `${fields.length} fields, the header has ${header.fields.length}`);
    }
    const [question, latex] = [fields[questionAt].trim(), fields[answerAt].trim()];
    if (question === '') throw new DatasetError(inputName(options), line, 'Question', 'empty');
    if (/\\%$|%$/.test(latex)) {
      skipped.push({ line, reason: 'the answer is a percentage, which the grader would miss written as a fraction or decimal', detail: latex });
      continue;
    }
    const answer = readAnswer(latex);
    if (!answer) {
      skipped.push({ line, reason: 'the answer is not a plain number or fraction the tutor grader reads', detail: latex });
      continue;
    }
    const unfair = unfairAnswer(answer, question);
    if (unfair) {
      skipped.push({ line, ...unfair });
      continue;
    }
    const index = /^\d+$/.test(fields[indexAt]) ? fields[indexAt] : String(line);
    problems.push({ id: `math-${index.padStart(4, '0')}`, topic: 'math', problem: question, answer, steps: [], asFraction: /frac/.test(latex) });
  }
  const rng = rngFor(options);
  return { rows: tutorRows(sample(problems, options.limit, rng), rng), skipped, eligible: problems.length };
}
