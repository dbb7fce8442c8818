// The Tensor Trust sample: a player's defense (text before and after the attack), its access code, and an attack.
import { z } from 'zod';

/** The two robustness benchmarks: make the model say "Access Granted", or make it reveal the access code. */
export const tensorTrustTasks = ['hijacking', 'extraction'] as const;
export type TensorTrustTask = (typeof tensorTrustTasks)[number];

export const tensorTrustSampleSchema = z
  .object({
    id: z.string().min(1),
    task: z.enum(tensorTrustTasks),
    /** The defender's text before the attack. */
    pre_prompt: z.string(),
    /** The attacker's text: the user message. */
    attack: z.string().min(1),
    /** The defender's text after the attack (often empty). */
    post_prompt: z.string(),
    /** What the defender would type to be let in: the defense-validity control's user message. */
    access_code: z.string().min(1),
    /** Rows that share an attack (players reused what worked) are one cluster. */
    cluster: z.string().min(1).optional(),
  })
  .superRefine((sample, ctx) => {
    if (sample.pre_prompt.trim() === '' && sample.post_prompt.trim() === '') {
      ctx.addIssue({ code: 'custom', path: ['pre_prompt'], message: 'the defense is empty (pre_prompt and post_prompt)' });
    }
  });

export type TensorTrustSample = z.output<typeof tensorTrustSampleSchema>;
