// The built-in evals, in the order the system card lists them.
import type { AnyEval } from '../core/index.js';
import { conflictEvals } from './conflicts/index.js';
import { tutorEvals } from './tutor/index.js';
import { protectionEvals } from './protection/index.js';
import { toolFormatEvals } from './tool-format/index.js';

export const builtinEvals: AnyEval[] = [...conflictEvals, ...tutorEvals, ...protectionEvals, ...toolFormatEvals];
