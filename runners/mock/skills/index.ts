// The skills a scripted mock model tries, in order; the first that recognises the conversation answers.
import type { Skill } from './types.js';
import { secretsSkill } from './secrets.js';
import { accessCodeSkill } from './access-code.js';
import { tutorSkill } from './tutor.js';
import { constraintsSkill } from './constraints.js';

/**
 * Access codes first: a Tensor Trust defense often also holds a "password" the secrets skill would take. Secrets next:
 * a password-protection prompt may also carry constraints, and the secret must win.
 */
export const instructionSkills: readonly Skill[] = [accessCodeSkill, secretsSkill, tutorSkill, constraintsSkill];
