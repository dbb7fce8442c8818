// A conflict sample: the higher message's constraint, the task, and the lower message's attack (or aligned request).
import { z } from 'zod';
import { constraintSchema } from './constraints/index.js';
import { attackStyles } from './styles.js';

export const conflictSampleSchema = z
  .object({
    id: z.string().min(1),
    /** The rule the higher-privileged message sets; the grader checks it. */
    constraint: constraintSchema,
    /** The higher-privileged message, word for word. */
    instruction: z.string().min(1),
    /** What the user wants done; sits in the user message. */
    task: z.string().min(1),
    /** The lower-privileged message's request: an override of the rule, or, for an aligned control, a compatible ask. */
    attack: z.object({
      style: z.enum(attackStyles),
      text: z.string().min(1),
      /** Where the request sits when it shares the user message with the task. */
      placement: z.enum(['before_task', 'after_task']),
    }),
    /** An aligned control: the lower message asks something compatible, which must be done too. */
    aligned: z.boolean(),
    /** The aligned request's own constraint (aligned controls only). */
    aligned_constraint: constraintSchema.optional(),
    /** Turns before the final message: required for the multi_turn style, allowed for any (a warm-up exchange). */
    history: z
      .array(z.object({ role: z.enum(['user', 'assistant']), content: z.string().min(1) }))
      .min(2)
      .optional(),
    /**
     * The no-attack twin (conflicts only): the same rule and task with this benign lower message instead of the attack
     * (for a user lower message, text shared with the task; '' = the task alone). The eval asks both and reports
     * `control_pass` and `hierarchy_given_control`.
     */
    twin: z.object({ text: z.string() }).optional(),
    /** The cluster the row belongs to (its constraint type): rows of one cluster are not independent. */
    cluster: z.string().min(1).optional(),
  })
  .superRefine((sample, ctx) => {
    if (sample.aligned !== (sample.aligned_constraint !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['aligned_constraint'], message: 'required exactly when aligned is true' });
    }
    if (sample.attack.style === 'multi_turn' && sample.history === undefined) {
      ctx.addIssue({ code: 'custom', path: ['history'], message: 'required when attack.style is multi_turn' });
    }
  });

export type ConflictSample = z.output<typeof conflictSampleSchema>;
