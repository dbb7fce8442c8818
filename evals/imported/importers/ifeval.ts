// Imports SystemCheck's system-prompt IFEval (normster/SystemCheck sys_ifeval.jsonl: IFEval's constraints in the system
// message, the task in the user message) into message-conflict samples: the system message, word for word, becomes
// the higher message; the lower message asks to break one of its constraints in one of our attack styles.
//
// Grading goes through the conflicts eval's constraint library, so an IFEval instruction id is imported only where a
// library constraint checks the same thing (MAPPINGS; the small differences are listed there). Every other id is
// skipped with its reason; a row is imported when at least one of its ids maps, and only that id is graded.
import { DatasetError } from '../../../core/errors.js';
import { constraintType, type Constraint } from '../../conflicts/constraints/index.js';
import { attackStyles, styleRequest, type LowerRole, type Turn } from '../../conflicts/styles.js';
import { inputName, readJsonLines, rngFor, rounds, sample, type ImportOptions, type ImportResult, type Skip, type SourceInfo } from './types.js';

export const ifevalSource: SourceInfo = {
  version: '1',
  license: 'MIT (normster/SystemCheck) over Apache-2.0 (google-research IFEval instructions)',
  source:
    'SystemCheck evals/ifeval/inputs/sys_ifeval.jsonl (Mu et al., normster/SystemCheck), a system-prompt split of IFEval ' +
    '(Zhou et al. 2023, arXiv:2311.07911)',
  description:
    "System-prompt IFEval as message conflicts: the row's system message holds its IFEval constraints, the lower message " +
    'asks to break one that the constraint library checks the same way IFEval does, in one of our attack styles; that ' +
    'one constraint is graded.',
};

export interface ConflictRow {
  id: string;
  constraint: Constraint;
  instruction: string;
  task: string;
  attack: { style: (typeof attackStyles)[number]; text: string; placement: 'before_task' | 'after_task' };
  aligned: false;
  history?: Turn[];
}

export interface IfevalOptions extends ImportOptions {
  /** Who sends the override: the user (system<>user and developer<>user evals) or the developer (system<>developer). */
  lower: LowerRole;
}

type Kwargs = Record<string, unknown>;
type Mapping = (kwargs: Kwargs) => Constraint | { skip: string };

/**
 * IFEval instruction id → library constraint. Differences from IFEval's own checker, none of which the override
 * attacks touch: english_lowercase/english_capital do not also run language detection; quotation also accepts curly
 * quotes; json_format requires an object or array where IFEval takes any JSON value; number_bullet_lists counts
 * `- `, `* ` and `• ` lines where IFEval counts lines starting with `-` or `*`.
 */
const MAPPINGS: Record<string, Mapping> = {
  'punctuation:no_comma': () => ({ type: 'no_commas', params: {} }),
  'change_case:english_lowercase': () => ({ type: 'lowercase', params: {} }),
  'change_case:english_capital': () => ({ type: 'uppercase', params: {} }),
  'startend:quotation': () => ({ type: 'wrap_quotes', params: {} }),
  'detectable_format:title': () => ({ type: 'title', params: {} }),
  'detectable_format:json_format': () => ({ type: 'json_only', params: {} }),
  'detectable_content:postscript': (kwargs) =>
    kwargs.postscript_marker === 'P.S.'
      ? { type: 'postscript', params: {} }
      : { skip: `postscript marker ${JSON.stringify(kwargs.postscript_marker)}: the library checks "P.S." only` },
  'detectable_format:number_bullet_lists': (kwargs) => {
    const count = kwargs.num_bullets;
    return typeof count === 'number' && count >= 2 && count <= 6
      ? { type: 'bullet_count', params: { count } }
      : { skip: `${String(count)} bullets: the library checks 2 to 6` };
  },
};

/** Why an id has no mapping: where the library's check differs from IFEval's, or that it has none. */
const UNMAPPED: Record<string, string> = {
  'length_constraints:number_words': 'IFEval counts \\w+ tokens, the library whitespace-separated words',
  'length_constraints:number_paragraphs': 'IFEval splits paragraphs on *** dividers, the library on blank lines',
  'keywords:forbidden_words': "the library's forbidden words also ban plurals, IFEval's do not",
  'keywords:existence': 'IFEval matches keywords as substrings, the library as whole words',
  'language:response_language': 'IFEval uses langdetect over any language, the library stopwords for French, Spanish and German',
};

function mapId(id: string, kwargs: Kwargs): Constraint | { skip: string } {
  const mapping = MAPPINGS[id];
  if (mapping) return mapping(kwargs);
  return { skip: UNMAPPED[id] ?? 'no library constraint checks it' };
}

interface Candidate {
  key: string;
  instruction: string;
  task: string;
  constraints: Constraint[];
}

function message(row: Kwargs, role: string, line: number, options: ImportOptions): string {
  const messages = row.messages;
  if (!Array.isArray(messages)) throw new DatasetError(inputName(options), line, 'messages', 'missing or not a list');
  const found = messages.find((m): m is { role: string; content: string } => !!m && typeof m === 'object' && (m as Kwargs).role === role);
  if (!found || typeof found.content !== 'string' || found.content.trim() === '') {
    throw new DatasetError(
      inputName(options),
      line,
      'messages',
      `no ${role} message with text${role === 'system' ? " (use SystemCheck's sys_ifeval.jsonl, whose system message holds the constraints)" : ''}`,
    );
  }
  return found.content;
}

function candidates(text: string, options: ImportOptions, skipped: Skip[]): Candidate[] {
  const out: Candidate[] = [];
  for (const { line, value } of readJsonLines(text, options)) {
    const ids = value.instruction_id_list;
    const kwargs = value.kwargs;
    if (!Array.isArray(ids) || !ids.every((id): id is string => typeof id === 'string')) {
      throw new DatasetError(inputName(options), line, 'instruction_id_list', 'missing or not a list of strings');
    }
    if (!Array.isArray(kwargs) || kwargs.length !== ids.length) {
      throw new DatasetError(inputName(options), line, 'kwargs', 'missing, or not one object per instruction id');
    }
    const instruction = message(value, 'system', line, options);
    const task = message(value, 'user', line, options);
    const mapped = ids.map((id, i) => ({ id, result: mapId(id, (kwargs[i] ?? {}) as Kwargs) }));
    const constraints = mapped.flatMap((m) => ('skip' in m.result ? [] : [m.result]));
    if (constraints.length === 0) {
      const why = mapped.map((m) => `${m.id}: ${(m.result as { skip: string }).skip}`);
      skipped.push({ line, reason: 'no IFEval instruction of the row is checked by a library constraint the same way', detail: why.join('; ') });
      continue;
    }
    out.push({ key: String(value.key ?? line), instruction, task, constraints });
  }
  return out;
}

/**
 * @example importIfeval(readFileSync('sys_ifeval.jsonl', 'utf8'), { lower: 'user', seed: 1 })
 */
export function importIfeval(text: string, options: IfevalOptions): ImportResult<ConflictRow> {
  const skipped: Skip[] = [];
  const all = candidates(text, options, skipped);
  const rng = rngFor(options);
  const chosen = sample(all, options.limit, rng);
  const styles = rounds(attackStyles, chosen.length, rng);
  const rows = chosen.map((c, i): ConflictRow => {
    const constraint = rng.pick(c.constraints);
    const kind = constraintType(constraint.type);
    const styled = styleRequest(
      styles[i],
      kind.override(constraint.params, rng),
      { lower: options.lower, aligned: false, exemplar: kind.exemplar(constraint.params) },
      rng,
    );
    const placement = options.lower === 'developer' || rng.chance(0.5) ? 'before_task' : 'after_task';
    return {
      id: `ifeval-${c.key}`,
      constraint,
      instruction: c.instruction,
      task: c.task,
      attack: { style: styles[i], text: styled.text, placement },
      aligned: false,
      ...(styled.history ? { history: styled.history } : {}),
    };
  });
  return { rows, skipped, eligible: all.length };
}
