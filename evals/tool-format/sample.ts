// The tool-format sample: a task that needs code, the files the sandbox starts with, and the checkable answer.
import { z } from 'zod';

/** Relative paths only, no `.`/`..` parts: the sandbox writes these names into its working directory. */
const fileName = z
  .string()
  .regex(/^[\w.-]+(\/[\w.-]+)*$/, 'must be a relative path of letters, digits, `_`, `-` and `.`')
  .refine((name) => name.split('/').every((part) => part !== '.' && part !== '..'), 'must not contain `.` or `..` parts');

export const toolTaskSchema = z.object({
  id: z.string().min(1),
  /** Task family (e.g. `count-matching-lines`), or the importer's name for imported requests. */
  family: z.string().min(1).default('custom'),
  /** The task as the user asks it. */
  prompt: z.string().min(1),
  /** name → UTF-8 content, placed in the sandbox's working directory before every call. */
  files: z.record(fileName, z.string()).default({}),
  /** The exact expected final answer; null for format-only samples (imported shell requests). */
  answer: z.string().min(1).nullable().default(null),
  /** Where the task comes from: `cardeval` (generated), `nl2bash`, `ibm-nl2bash-eabench`. */
  source: z.string().min(1).default('cardeval'),
});

export type ToolTask = z.infer<typeof toolTaskSchema>;
