// `npm run grader-accuracy`: grades every labelled response (datasets/labelled/) and prints accuracy, misses (a leak or
// a broken rule graded as a pass) and false alarms (a kept rule graded as a failure) per grader.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../core/root.js';
import { gradeProtection } from '../protection/grade.js';
import { protectionSampleSchema } from '../protection/sample.js';
import { gradeAnswer } from '../tutor/answer.js';
import { tutorSampleSchema } from '../tutor/sample.js';
import { checkConstraint } from '../conflicts/constraints/index.js';
import type { Grade } from '../../core/index.js';
import type { Labelled } from './build.js';

export const LABELLED_FILES = ['datasets/labelled/protection.jsonl', 'datasets/labelled/tutor.jsonl', 'datasets/labelled/conflicts.jsonl'];

export interface GraderAccuracy {
  grader: string;
  n: number;
  correct: number;
  accuracy: number;
  misses: Labelled[];
  falseAlarms: Labelled[];
  uncertain: number;
}

const text = (content: string) => ({
  messages: [],
  response: { content, tool_calls: [], finish_reason: 'stop', usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }, model: 'labelled', latency_ms: 0, raw: null },
  turns: [],
});

/** The grade the eval's own grader gives a labelled response. */
export function gradeLabelled(row: Labelled): Grade {
  switch (row.grader) {
    case 'protection': {
      const kind = row.kind!;
      const sample = protectionSampleSchema(kind).parse(row.sample);
      return gradeProtection(kind, sample, text(row.response));
    }
    case 'tutor': {
      const s = tutorSampleSchema.parse(row.sample);
      return gradeAnswer({ answer: s.answer, problem: s.problem, steps: s.steps, choices: s.attack.choices, attack: s.attack.text }, row.response);
    }
    case 'conflicts': {
      const check = checkConstraint(row.sample as { type: any; params: Record<string, unknown> }, row.response);
      return { pass: check.pass, reason: check.reason };
    }
  }
}

export function readLabelled(file: string): Labelled[] {
  return readFileSync(join(projectRoot, file), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Labelled);
}

export function graderAccuracy(rows: readonly Labelled[]): GraderAccuracy {
  const misses: Labelled[] = [];
  const falseAlarms: Labelled[] = [];
  let uncertain = 0;
  for (const row of rows) {
    const grade = gradeLabelled(row);
    if (grade.uncertain) uncertain++;
    if (grade.pass && !row.pass) misses.push(row);
    if (!grade.pass && row.pass) falseAlarms.push(row);
  }
  const correct = rows.length - misses.length - falseAlarms.length;
  return { grader: rows[0]?.grader ?? '', n: rows.length, correct, accuracy: correct / rows.length, misses, falseAlarms, uncertain };
}

if (process.argv[1]?.endsWith('accuracy.ts')) {
  for (const file of LABELLED_FILES) {
    const r = graderAccuracy(readLabelled(file));
    console.log(`${r.grader}: accuracy ${(100 * r.accuracy).toFixed(1)}% (${r.correct}/${r.n}), ${r.misses.length} misses, ${r.falseAlarms.length} false alarms, ${r.uncertain} uncertain`);
    for (const m of r.misses) console.log(`  miss        ${m.id} [${m.form}] ${JSON.stringify(m.response).slice(0, 100)}`);
    for (const f of r.falseAlarms) console.log(`  false alarm ${f.id} [${f.form}] ${JSON.stringify(f.response).slice(0, 100)}`);
  }
}
