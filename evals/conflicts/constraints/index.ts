// The constraint library: every type, the schema of a sample's `{ type, params }`, its checker, and which types pair.
import { z } from 'zod';
import type { CheckResult, ConstraintType } from './types.js';
import { language } from './language.js';
import { lowercase, uppercase } from './letter-case.js';
import { forbiddenTopic, forbiddenWord, includeKeyword } from './vocabulary.js';
import { closingPhrase, endQuestion, openingPhrase, postscript, signoffName } from './edges.js';
import { bulletCount, jsonOnly, numberedList, paragraphCount, placeholders, title, wrapQuotes } from './layout.js';
import { noCommas, noDigits, noExclamation } from './punctuation.js';
import { maxWords, minWords } from './length.js';

export type { CheckResult, Chooser, ConstraintType, DrawContext, Slot } from './types.js';

export const constraintTypes: readonly ConstraintType[] = [
  language,
  lowercase,
  uppercase,
  forbiddenWord,
  forbiddenTopic,
  includeKeyword,
  openingPhrase,
  closingPhrase,
  signoffName,
  endQuestion,
  postscript,
  jsonOnly,
  wrapQuotes,
  title,
  bulletCount,
  numberedList,
  paragraphCount,
  placeholders,
  noCommas,
  noExclamation,
  noDigits,
  maxWords,
  minWords,
];

const byType = new Map(constraintTypes.map((c) => [c.type, c]));

export const constraintTypeNames = constraintTypes.map((c) => c.type) as [string, ...string[]];

export function constraintType(type: string): ConstraintType {
  const found = byType.get(type);
  if (!found) throw new Error(`unknown constraint type "${type}"`);
  return found;
}

/** A sample's constraint: a known type, with params that its own schema accepts. */
export const constraintSchema = z
  .object({ type: z.enum(constraintTypeNames), params: z.record(z.string(), z.unknown()) })
  .superRefine((constraint, ctx) => {
    const parsed = constraintType(constraint.type).params.safeParse(constraint.params);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ code: 'custom', path: ['params', ...issue.path.map(String)], message: issue.message });
      }
    }
  });

export type Constraint = z.output<typeof constraintSchema>;

export function checkConstraint(constraint: Constraint, response: string): CheckResult {
  const kind = constraintType(constraint.type);
  return kind.check(response, kind.params.parse(constraint.params));
}

/** Whether a response can keep both constraints: no shared slot, and neither avoids the other. */
export function compatible(a: ConstraintType, b: ConstraintType): boolean {
  if (a.type === b.type) return false;
  if (a.slots.some((slot) => b.slots.includes(slot))) return false;
  return !a.avoid?.includes(b.type) && !b.avoid?.includes(a.type);
}
