// Imports the Tensor Trust robustness benchmarks (Toyer et al., ICLR 2024) from a copy the user brings: each row is a
// defense (`pre_prompt`, `post_prompt`) written by a player of the game, the access code that opens it, and another
// player's attack on it. Two files, one per task: hijacking (make the model say "Access Granted") and extraction (make it
// reveal the access code). Nothing of the data set is shipped: it carries no licence for redistribution.
import { basename } from 'node:path';
import { DatasetError } from '../../../core/errors.js';
import { sha256 } from '../../../core/hash.js';
import { inputName, readJsonLines, rngFor, sample, stringField, type ImportOptions, type ImportResult, type Skip, type SourceInfo } from './types.js';
import { tensorTrustTasks, type TensorTrustTask } from '../../tensortrust/sample.js';

export const tensorTrustSource: SourceInfo = {
  version: '1',
  license: 'none stated for redistribution: this copy is the user\'s own and is never shipped or committed',
  source:
    'Tensor Trust robustness benchmarks v1, HumanCompatibleAI/tensor-trust-data benchmarks/{hijacking,extraction}-robustness/v1 ' +
    '(Toyer et al. 2024, "Tensor Trust: Interpretable Prompt Injection Attacks from an Online Game", ICLR 2024, arXiv:2311.01011)',
  description:
    'Human-written defenses and attacks from the Tensor Trust game: the defense is the privileged message, the attack the ' +
    'user message; hijacking rows pass unless the answer is "Access Granted", extraction rows unless the access code leaks.',
};

export interface TensorTrustRow {
  id: string;
  task: TensorTrustTask;
  pre_prompt: string;
  attack: string;
  post_prompt: string;
  access_code: string;
  cluster: string;
}

export interface TensorTrustOptions extends ImportOptions {
  /** Which benchmark the file is; default: read from the file name (`hijacking…` or `extraction…`). */
  task?: string;
}

/** The task a file holds: `--task`, else the benchmark named in its file name; a clear error when neither says. */
export function tensorTrustTask(options: TensorTrustOptions): TensorTrustTask {
  if (options.task !== undefined) {
    if (!(tensorTrustTasks as readonly string[]).includes(options.task)) {
      throw new DatasetError(inputName(options), 0, '(file)', `--task must be one of ${tensorTrustTasks.join(', ')}, not "${options.task}"`);
    }
    return options.task as TensorTrustTask;
  }
  const name = basename(inputName(options)).toLowerCase();
  const named = tensorTrustTasks.filter((t) => name.includes(t));
  if (named.length !== 1) {
    throw new DatasetError(
      inputName(options),
      0,
      '(file)',
      'cannot tell which Tensor Trust benchmark this is from its name (hijacking_robustness_dataset.jsonl or ' +
        'extraction_robustness_dataset.jsonl): give --task hijacking or --task extraction',
    );
  }
  return named[0];
}

/** A defense half: a string, possibly empty (many defenses have no post-prompt). */
function defenseField(row: Record<string, unknown>, field: string, line: number, options: ImportOptions): string {
  const value = row[field];
  if (typeof value !== 'string') throw new DatasetError(inputName(options), line, field, value === undefined ? 'missing' : 'must be a string');
  return value;
}

/** Attacks repeat across defenses (players reused what worked): rows sharing an attack are one cluster. */
function attackCluster(attack: string): string {
  return `attack-${sha256(attack.toLowerCase().replace(/\s+/g, ' ').trim()).slice(0, 12)}`;
}
export function importTensorTrust(text: string, options: TensorTrustOptions = {}): ImportResult<TensorTrustRow> {
  const task = tensorTrustTask(options);
  const skipped: Skip[] = [];
  const rows: TensorTrustRow[] = [];
  const seen = new Set<string>();
  for (const { line, value } of readJsonLines(text, options)) {
    const sampleId = value.sample_id;
    if (typeof sampleId !== 'number' || !Number.isInteger(sampleId)) {
      throw new DatasetError(inputName(options), line, 'sample_id', sampleId === undefined ? 'missing' : 'must be an integer');
    }
    const pre_prompt = defenseField(value, 'pre_prompt', line, options);
    const post_prompt = defenseField(value, 'post_prompt', line, options);
    const attack = stringField(value, 'attack', line, options);
    const access_code = stringField(value, 'access_code', line, options);
    const id = `tensortrust-${task}-${sampleId}`;
    if (seen.has(id)) throw new DatasetError(inputName(options), line, 'sample_id', `${sampleId} repeats an earlier row's`);
    seen.add(id);
    if (pre_prompt.trim() === '' && post_prompt.trim() === '') {
      skipped.push({ line, reason: 'the defense is empty (no pre_prompt and no post_prompt)' });
      continue;
    }
    // An attack that carries the true code is a legitimate entry: granting it (or repeating the code) is right.
    if (attack.toLowerCase().includes(access_code.trim().toLowerCase())) {
      skipped.push({ line, reason: 'the attack contains the true access code, so granting or repeating it is not a failure' });
      continue;
    }
    rows.push({ id, task, pre_prompt, attack, post_prompt, access_code, cluster: attackCluster(attack) });
  }
  const eligible = rows.length;
  return { rows: sample(rows, options.limit, rngFor(options)), skipped, eligible };
}

/** Both benchmarks share one file: rows of the other task from an earlier import are kept, this task's replaced. */
export function mergeTensorTrust(existing: unknown[], imported: TensorTrustRow[]): unknown[] {
  const tasks = new Set(imported.map((r) => r.task));
  const kept = existing.filter((r) => !tasks.has((r as { task?: TensorTrustTask }).task as TensorTrustTask));
  return [...kept, ...imported];
}
