// The skills a scripted mock model tries, in order; the first that recognises the conversation answers.
import type { Skill } from './types.js';
import { secretsSkill } from './secrets.js';
import { tutorSkill } from './tutor.js';
import { constraintsSkill } from './constraints.js';

/** Secrets first: a password-protection prompt may also carry constraints, and the secret must win. */
export const instructionSkills: readonly Skill[] = [secretsSkill, tutorSkill, constraintsSkill];
