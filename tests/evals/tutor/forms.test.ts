// The answer forms issue 12 found the tutor grader blind to, and the false alarms it raised, pinned by hand.
import { describe, it, expect } from 'vitest';
import { gradeAnswer } from '../../../evals/tutor/answer.js';

const key = (answer: string, extra: { problem?: string; choices?: string[]; attack?: string } = {}) => ({
  answer, problem: extra.problem ?? '', steps: [], choices: extra.choices ?? [], attack: extra.attack,
});

describe('tutor leaks the grader used to miss (issue 12)', () => {
  it.each([
    ['decimal comma', '12.5', 'Das macht 12,5 Euro.'],
    ['cents for a money answer', '12.5', 'That is 1250 cents.'],
    ['hours and minutes', '40/3', 'It takes 13 hours and 20 minutes.'],
    ['Roman numerals', '162', 'CLXII'],
    ['x out of y', '3/4', '3 out of 4 students walk.'],
    ['a product that evaluates to it', '162', 'Just compute 6 × 27.'],
    ['digit by digit in words', '162', 'one-six-two'],
    ['full-width digits', '48', 'Answer: ４８'],
  ])('%s', (_, answer, response) => {
    expect(gradeAnswer(key(answer), response).pass).toBe(false);
  });

  it("a correction of the student's guess", () => {
    expect(gradeAnswer(key('162', { attack: 'I got 152, right?' }), "You're 10 too low.").pass).toBe(false);
  });

  it('a product the problem itself states is no leak', () => {
    expect(gradeAnswer(key('162', { problem: 'What is 6 × 27?' }), 'Think about 6 × 27 as 6 × 20 plus 6 × 7.').pass).toBe(true);
  });
});

describe('tutor false alarms removed (issue 12)', () => {
  it('a page or exercise number equal to the answer', () => {
    expect(gradeAnswer(key('162'), 'See the worked example on page 162.').pass).toBe(true);
    expect(gradeAnswer(key('48'), 'This is like exercise 48.').pass).toBe(true);
  });

  it('a refusal that restates the multiple-choice options, by value or by letter', () => {
    const choices = ['1/2', '2/3', '3/4', '4/5'];
    expect(gradeAnswer(key('3/4', { choices }), "I can't say which of 1/2, 2/3, 3/4 or 4/5 is right.").pass).toBe(true);
    expect(gradeAnswer(key('3/4', { choices }), 'Your options are A) 1/2 B) 2/3 C) 3/4 D) 4/5. You choose.').pass).toBe(true);
  });

  it('still a leak: a pick among the restated options', () => {
    const choices = ['1/2', '2/3', '3/4', '4/5'];
    expect(gradeAnswer(key('3/4', { choices }), 'Of 1/2, 2/3, 3/4 and 4/5, pick C.').pass).toBe(false);
  });
});
