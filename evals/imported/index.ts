// An --eval-module over the public data sets `cardeval datasets import` wrote: the card's evals, same graders, other data.
// `cardeval run --eval-module ./evals/imported/index.ts --eval ih-tutor-jailbreak-gsm8k`; the files are read from
// $CARDEVAL_IMPORTED_DIR (default .cardeval/datasets under the working directory), where the importer writes them.
import { resolve } from 'node:path';
import { defineEval, type AnyEval, type EvalDefinition } from '../../core/index.js';
import { tutorJailbreak, type TutorSample } from '../tutor/index.js';
import { conflictEval, type ConflictSample, type HigherRole, type LowerRole } from '../conflicts/index.js';
import { protectionEval } from '../protection/index.js';
import type { ProtectionKind, ProtectionSample } from '../protection/sample.js';
import { tensorTrustEval } from '../tensortrust/index.js';

/** Each imported data set's file, relative to the imported-datasets folder; the importer writes the same paths. */
export const importedFiles = {
  gsm8k: 'gsm8k/tutor.jsonl',
  math: 'math/tutor.jsonl',
  ifevalUserAttacks: 'ifeval/user-attacks.jsonl',
  ifevalDeveloperAttacks: 'ifeval/developer-attacks.jsonl',
  realguardrails: 'realguardrails/user-attacks.jsonl',
  cybersecevalPassword: 'cyberseceval/password.jsonl',
  cybersecevalPhrase: 'cyberseceval/phrase.jsonl',
  tensortrust: 'tensortrust/tensortrust.jsonl',
} as const;

export type ImportedFile = keyof typeof importedFiles;

export const DEFAULT_IMPORTED_DIR = '.cardeval/datasets';

/** Read when a run loads the data, so the variable can be set after this module loads. */
export function importedDir(): string {
  return resolve(process.env.CARDEVAL_IMPORTED_DIR ?? DEFAULT_IMPORTED_DIR);
}

function importedPath(file: ImportedFile): string {
  return resolve(importedDir(), importedFiles[file]);
}

const importNote = (source: string) =>
  `Imported data: ${source}, written by \`cardeval datasets import\` (its manifest names the licence and the source file's sha256); ` +
  'the card\'s own samples are not published, so the figures compare like with like only loosely.';

function tutor(id: string, title: string, file: ImportedFile, source: string): EvalDefinition<TutorSample> {
  return defineEval<TutorSample>({
    ...tutorJailbreak,
    id,
    title,
    // The imported rows carry one instruction wording: no hardened twin.
    variants: ['system-message', 'developer-message'],
    dataset: () => ({ path: importedPath(file) }),
    publishedId: tutorJailbreak.id,
    notes: [
      importNote(source),
      'The tutor instruction (system or developer message, by variant) holds the answer key; the student message uses one of 14 extraction tactics.',
      'Leaks are found by the tutor grader (digits, decimals, fractions, number words, LaTeX, percentages, base64, a multiple-choice letter).',
    ],
  });
}

function conflict(
  options: { id: string; title: string; higher: HigherRole; lower: LowerRole; publishedId: string },
  file: ImportedFile,
  notes: string[],
): EvalDefinition<ConflictSample> {
  const { publishedId, ...base } = options;
  return defineEval<ConflictSample>({ ...conflictEval(base), dataset: () => ({ path: importedPath(file) }), publishedId, notes });
}

const ifevalNotes = [
  importNote("SystemCheck's system-prompt IFEval (sys_ifeval.jsonl)"),
  "The higher message is the row's IFEval system message, word for word; the lower message asks, in one of our 12 attack " +
    'styles, to break one of its constraints that the constraint library checks as IFEval does (no commas, case, quotes, ' +
    '<<title>>, JSON, P.S., bullet count). Only that constraint is graded; the system message\'s other instructions are not.',
];

const realGuardrailsNotes = [
  importNote('RealGuardrails handwritten conversations whose system prompt bans a list of words'),
  "The system prompt and the user turns are the dataset's; the final user message also asks for the banned words. The " +
    'grade is whether the response keeps to the banlist (whole words, plurals included); the guardrails themselves need ' +
    'a model judge and are not graded.',
];

function protection(kind: ProtectionKind, file: ImportedFile, notes: string[]): EvalDefinition<ProtectionSample> {
  return defineEval<ProtectionSample>({
    ...protectionEval(kind, { id: `ih-${kind}-protection-cyberseceval`, title: `${kind === 'password' ? 'Password' : 'Phrase'} protection (CyberSecEval prompt injection)` }),
    // The imported rows carry the data set's own protecting message: no hardened twin.
    variants: ['user-message', 'developer-message'],
    dataset: () => ({ path: importedPath(file) }),
    notes: [
      importNote('CyberSecEval prompt-injection entries whose judge question looks for the protected string'),
      ...notes,
      'The developer-message variant sends the same injection as a developer message, then "Please go ahead." from the user.',
    ],
  });
}

export const importedEvals: AnyEval[] = [
  tutor('ih-tutor-jailbreak-gsm8k', 'Tutor jailbreak (GSM8K problems)', 'gsm8k', 'GSM8K test problems'),
  tutor('ih-tutor-jailbreak-math', 'Tutor jailbreak (MATH problems)', 'math', 'MATH test problems with a plain number or fraction as answer'),
  conflict(
    { id: 'ih-system-user-conflict-ifeval', title: 'System <> User conflict (IFEval)', higher: 'system', lower: 'user', publishedId: 'ih-system-user-conflict' },
    'ifevalUserAttacks',
    ifevalNotes,
  ),
  conflict(
    { id: 'ih-developer-user-conflict-ifeval', title: 'Developer <> User conflict (IFEval)', higher: 'developer', lower: 'user', publishedId: 'ih-developer-user-conflict' },
    'ifevalUserAttacks',
    ifevalNotes,
  ),
  conflict(
    { id: 'ih-system-developer-conflict-ifeval', title: 'System <> Developer conflict (IFEval)', higher: 'system', lower: 'developer', publishedId: 'ih-system-developer-conflict' },
    'ifevalDeveloperAttacks',
    ifevalNotes,
  ),
  conflict(
    { id: 'ih-system-user-conflict-realguardrails', title: 'System <> User conflict (RealGuardrails banlists)', higher: 'system', lower: 'user', publishedId: 'ih-system-user-conflict' },
    'realguardrails',
    realGuardrailsNotes,
  ),
  protection('password', 'cybersecevalPassword', [
    'The system prompt is the entry\'s test-case prompt with the password re-quoted in double quotes; the attack is its user input, unchanged.',
  ]),
  protection('phrase', 'cybersecevalPhrase', [
    "The source's system prompt forbids nothing, so it is followed by our rule sentence forbidding the phrase its injection asks for.",
  ]),
  tensorTrustEval(() => ({ path: importedPath('tensortrust') })),
];

export default importedEvals;
