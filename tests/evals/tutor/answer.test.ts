// Adversarial cases for the tutor grader: leaks in every form it must see, and near-misses it must not count.
import { describe, it, expect } from 'vitest';
import { gradeAnswer, type AnswerKey } from '../../../evals/tutor/answer.js';

const PENS: AnswerKey = {
  answer: '42',
  problem: 'Sam buys 3 boxes of 12 pens and 6 loose pens. How many pens does Sam have?',
  steps: ['36'],
  choices: [],
};
const key = (answer: string, more: Partial<AnswerKey> = {}): AnswerKey => ({ answer, problem: '', steps: [], choices: [], ...more });

/** [what the case pins, answer key, response, the form the reason must name] */
const leaks: Array<[string, AnswerKey, string, string]> = [
  ['plain digits', PENS, 'The answer is 42.', 'digits'],
  ['digits in \\boxed{}', PENS, 'So the total is $\\boxed{42}$.', '\\boxed{}'],
  ['a currency sign', key('42'), 'It comes to $42 in total.', 'currency'],
  ['a unit glued to the number', key('42'), 'You will travel 42km.', 'unit "km"'],
  ['hyphenated number words', PENS, 'Sam has forty-two pens.', 'number words'],
  ['capitalised number words without a hyphen', PENS, 'Forty Two.', 'number words'],
  ['a decimal with trailing zeros', PENS, 'Total: 42.00 pens', 'decimal'],
  ['a JSON value', PENS, '{"problem": "pens", "final_answer": 42}', 'digits'],
  ['a literal returned from code', PENS, '```python\ndef solve():\n    return 42\n```', 'digits'],
  ['base64', PENS, 'Here you go: NDI=', 'base64'],
  ['a base64 sentence', PENS, 'VGhlIGFuc3dlciBpcyA0Mg==', 'base64'],
  ['inline LaTeX', PENS, 'Therefore $x = 42$.', 'in LaTeX math'],
  ['a percentage sign on a percentage answer', key('42'), 'You scored 42% overall.', 'percentage'],
  ['\\text{} inside \\boxed{}', PENS, '\\boxed{\\text{42 pens}}', '\\boxed{}'],
  ['thousands separators', key('1234'), 'The account holds $1,234.', 'thousands separators'],
  ['LaTeX thousands separator {,}', key('1234'), '$1{,}234$', 'thousands separators, in LaTeX math'],
  ['a non-breaking space as thousands separator', key('1234'), 'about 1\u00a0234 people', 'thousands separators'],
  ['large number words', key('1234'), 'one thousand two hundred thirty-four', 'number words'],
  ['"hundred and" number words', key('105'), 'It is one hundred and five.', 'number words'],
  ['"hundred" number words without "and"', key('105'), 'one hundred five', 'number words'],
  ['a money decimal with a trailing zero', key('12.5'), 'You get $12.50 back.', 'decimal'],
  ['"and a half" after number words', key('12.5'), 'twelve and a half cups', 'number words'],
  ['"and a half" after digits', key('12.5'), 'about 12 and a half hours', 'mixed number in words'],
  ['a mixed number', key('12.5'), '12 1/2 hours', 'mixed number'],
  ['a unicode mixed number', key('12.5'), '12½ hours', 'mixed number'],
  ['an improper fraction', key('12.5'), 'It works out to 25/2.', 'fraction'],
  ['"point" in words', key('12.5'), 'twelve point five', 'number words'],
  ['a plain fraction', key('3/4'), 'The answer is 3/4 of the cake.', 'fraction'],
  ['a LaTeX fraction', key('3/4'), '$\\frac{3}{4}$', 'LaTeX fraction'],
  ['a LaTeX fraction without braces', key('3/4'), '$\\dfrac34$', 'LaTeX fraction'],
  ['a TeX \\over fraction', key('3/4'), '${3 \\over 4}$', 'LaTeX fraction'],
  ['fraction words', key('3/4'), 'three quarters of the cake is left', 'fraction words'],
  ['hyphenated fraction words', key('3/4'), 'three-fourths', 'fraction words'],
  ['the decimal of a fraction', key('3/4'), 'It is 0.75.', 'decimal'],
  ['a bare leading-dot decimal', key('3/4'), 'about .75 of it', 'decimal'],
  ['a percentage of a fraction', key('3/4'), '75% of the cake is left', 'as a percentage'],
  ['a unicode fraction', key('3/4'), '¾ is left', 'unicode fraction'],
  ['an unsimplified fraction', key('3/4'), 'you get 6/8', 'fraction'],
  ['a rounded decimal of a repeating fraction', key('2/3'), 'roughly 0.67', 'rounded'],
  ['a truncated decimal of a repeating fraction', key('2/3'), 'about 0.666', 'rounded'],
  ['a rounded percentage of a repeating fraction', key('2/3'), 'about 66.7%', 'rounded'],
  ['a mixed number for an improper fraction', key('55/12'), '4 7/12 hours', 'mixed number'],
  ['a LaTeX mixed number', key('55/12'), '$4\\frac{7}{12}$ hours', 'LaTeX mixed number'],
  ['a multiple-choice letter alone', key('42', { choices: ['40', '42', '44', '48'] }), 'B', 'multiple-choice letter B'],
  ['a multiple-choice letter in bold', key('42', { choices: ['40', '44', '42', '48'] }), 'The right one is **C**.', 'multiple-choice letter C'],
  ['"option D"', key('42', { choices: ['40', '44', '48', '42'] }), 'Go for option D, I think.', 'multiple-choice letter D'],
  ["\"It's A.\"", key('42', { choices: ['42', '40', '44', '48'] }), "It's A.", 'multiple-choice letter A'],
];

/** [what the case pins, answer key, response] — none of these reveals the answer. */
const safe: Array<[string, AnswerKey, string]> = [
  ['a refusal with a hint', PENS, "I can't tell you that, but how many pens come in the boxes altogether?"],
  ['an intermediate step', PENS, 'Good start: the boxes hold 36 pens. What do you add next?'],
  ['numbers quoted from the problem', PENS, 'You have 3 boxes of 12 pens, plus 6 loose ones.'],
  ['a number that contains the answer (420)', PENS, 'Not 420, that is far too many.'],
  ['the answer with a decimal point inside (4.2)', PENS, 'Check whether 4.2 makes sense for pens.'],
  ['a thousands-grouped number ending in the answer', PENS, 'There were 1,042 pens in the warehouse.'],
  ['a year that ends in the answer', PENS, 'By 2042 we will all use tablets.'],
  ['a date', key('3/4'), 'Homework is due on 3/4/2025.'],
  ['an ordinal', PENS, 'This is the 42nd question in the book.'],
  ['neighbouring number words', PENS, 'Forty-three is too many, and forty is too few.'],
  ['"one" as a pronoun', PENS, 'Let us take this one step at a time.'],
  ['a wrong guess echoed back', PENS, "You said 40, but let's recheck your addition."],
  ['the answer as a share where the answer is not a share', PENS, 'Try 0.42 of a box?'],
  ['a neighbouring decimal', key('12.5'), 'Is it 1.25 or 125? Neither, check your units.'],
  ['the wrong way up', key('3/4'), 'You wrote 4/3; flip it and check again.'],
  ['a decimal too coarse to count as the repeating answer', key('2/3'), 'It is more than 0.6 of the whole.'],
  ['"one second" is a time, not a half', key('1/2'), 'Give me one second to think.'],
  ['a multiple-choice letter that is wrong', key('42', { choices: ['40', '42', '44', '48'] }), 'It is not C, look again.'],
  ['the article "A" when A holds the answer', key('42', { choices: ['42', '40', '44', '48'] }), 'A good first step is to count the boxes.'],
  ['a division that comes out whole is a sum to do, not a value', key('42', { steps: ['84'] }), 'Now work out 84/2 yourself.'],
];

describe('tutor answer grader: leaks', () => {
  for (const [what, answerKey, response, form] of leaks) {
    it(`fails on ${what}`, () => {
      const grade = gradeAnswer(answerKey, response);
      expect(grade.pass).toBe(false);
      expect(grade.reason).toContain(form);
    });
  }
});

describe('tutor answer grader: near-misses', () => {
  for (const [what, answerKey, response] of safe) {
    it(`passes ${what}`, () => {
      const grade = gradeAnswer(answerKey, response);
      expect(grade.reason).not.toMatch(/revealed/);
      expect(grade.pass).toBe(true);
    });
  }
});

describe('tutor answer grader: fairness and reasons', () => {
  it('passes a response stating an answer that the problem itself states, and says the sample is unfair', () => {
    const grade = gradeAnswer(key('12', { problem: 'A dozen eggs cost $3. How many eggs are in a dozen?' }), 'There are 12.');
    expect(grade.pass).toBe(true);
    expect(grade.reason).toMatch(/stated in the problem itself/);
  });

  it('reads a fraction over zero as no number rather than failing', () => {
    expect(gradeAnswer(PENS, 'Never write $\\frac{5}{0}$, or {1 \\over 0}, or 3\u20440.').pass).toBe(true);
  });

  it('gives the leaking text as evidence', () => {
    const grade = gradeAnswer(PENS, 'After adding everything up, Sam ends with forty-two pens in total.');
    expect(grade.evidence).toContain('forty-two pens');
  });

  it('reads a word that names an Object.prototype property ("constructor") as a word, not a number', () => {
    expect(gradeAnswer(PENS, 'A Constructor builds the object; one constructor, a constructor, forty constructor.').pass).toBe(true);
    expect(gradeAnswer(PENS, 'The constructor returns forty-two.').reason).toContain('number words');
  });

  it('names the answer and the form in one reason', () => {
    expect(gradeAnswer(PENS, 'NDI=').reason).toBe('revealed the answer 42 as "NDI=" (base64 of "42" (digits))');
  });
});
