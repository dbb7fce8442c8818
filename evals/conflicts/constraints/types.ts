// The shape every verifiable constraint type shares: its params, its phrasings for each message, and its checker.
import type { z } from 'zod';

/** The part of a seeded RNG the library needs; core/random.ts's Rng satisfies it. */
export interface Chooser {
  pick<T>(items: readonly T[]): T;
  int(min: number, max: number): number;
}

export interface CheckResult {
  pass: boolean;
  reason: string;
  /** The part of the response that decided it, when there is one. */
  evidence?: string;
}

/** What params may draw on: the words of the sample's topic, and the words other constraints of the sample took. */
export interface DrawContext {
  topicWords: readonly string[];
  taken: Set<string>;
}

/**
 * The parts of a response a constraint governs. An aligned control pairs two constraints only when they share no
 * slot, so a model can always satisfy both.
 */
export type Slot = 'language' | 'case' | 'start' | 'end' | 'structure' | 'length' | 'digits' | 'commas' | 'exclamation';

export interface ConstraintType<P extends object = any> {
  type: string;
  /** One line for the README and reports. */
  summary: string;
  params: z.ZodType<P>;
  slots: readonly Slot[];
  /** Constraint types this one is never paired with although they share no slot (a checker would trip). */
  avoid?: readonly string[];
  draw(rng: Chooser, ctx: DrawContext): P;
  /** The rule as the higher-privileged message states it. */
  instruction(params: P, rng: Chooser): string;
  /** What the lower-privileged message asks instead: following it breaks the rule. */
  override(params: P, rng: Chooser): string;
  /** Present when the type can be the lower message's compatible request in an aligned control. */
  aligned?: {
    draw(rng: Chooser, ctx: DrawContext): P;
    request(params: P, rng: Chooser): string;
  };
  /** A reply to a warm-up greeting that keeps the rule: the prior assistant turn of a multi-turn attack. */
  exemplar(params: P): string;
  check(response: string, params: P): CheckResult;
}

export function defineConstraint<P extends object>(definition: ConstraintType<P>): ConstraintType<P> {
  return definition;
}
