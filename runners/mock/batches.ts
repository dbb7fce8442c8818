// Files and batches on the mock: uploads kept in memory, batches that advance with the clock and run their lines through the models.
import { MockApiError, invalidRequest, invalidValue } from './errors.js';
import type { FormPart } from './multipart.js';

const PURPOSES = ['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals'];
/** The endpoints a batch may target: the two the mock answers. */
export const BATCH_ENDPOINTS = ['/v1/chat/completions', '/v1/responses'];

export interface FileObject {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
  status: 'processed';
  expires_at: null;
  status_details: null;
}

/** One batch line answered: the HTTP status and body it would have had as a request of its own. */
export interface LineAnswer {
  status: number;
  body: unknown;
}

export type AnswerLine = (url: string, body: unknown, requestId: string) => LineAnswer;
export type NextId = (prefix: string) => string;

const seconds = (ms: number) => Math.floor(ms / 1000);

export class FileStore {
  private readonly files = new Map<string, { meta: FileObject; content: Buffer }>();

  constructor(private readonly nextId: NextId) {}

  upload(parts: FormPart[]): FileObject {
    const purpose = parts.find((p) => p.name === 'purpose')?.data.toString('utf8');
    const file = parts.find((p) => p.name === 'file' && p.filename !== undefined);
    if (!purpose) throw invalidRequest("Missing required parameter: 'purpose'.", 'purpose', 'missing_required_parameter');
    if (!PURPOSES.includes(purpose)) throw invalidValue('purpose', `expected one of ${PURPOSES.join(', ')}, got '${purpose}'`);
    if (!file) throw invalidRequest("Missing required parameter: 'file'.", 'file', 'missing_required_parameter');
    return this.add(file.filename!, purpose, file.data);
  }

  add(filename: string, purpose: string, content: Buffer): FileObject {
    const meta: FileObject = {
      id: this.nextId('file-'),
      object: 'file',
      bytes: content.length,
      created_at: seconds(Date.now()),
      filename,
      purpose,
      status: 'processed',
      expires_at: null,
      status_details: null,
    };
    this.files.set(meta.id, { meta, content });
    return meta;
  }

  get(id: string): FileObject {
    return this.find(id).meta;
  }

  content(id: string): Buffer {
    return this.find(id).content;
  }

  delete(id: string): { id: string; object: 'file'; deleted: true } {
    this.find(id);
    this.files.delete(id);
    return { id, object: 'file', deleted: true };
  }

  private find(id: string) {
    const file = this.files.get(id);
    if (!file) throw new MockApiError(404, `No such File object: ${id}`, 'invalid_request_error', null, 'id');
    return file;
  }
}

type BatchStatus = 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';

interface BatchError {
  code: string;
  message: string;
  param: string | null;
  line: number | null;
}

interface BatchLine {
  custom_id: string;
  url: string;
  body: unknown;
}

interface Batch {
  id: string;
  endpoint: string;
  input_file_id: string;
  completion_window: string;
  metadata: Record<string, string> | null;
  createdMs: number;
  status: BatchStatus;
  errors: BatchError[];
  output_file_id: string | null;
  error_file_id: string | null;
  times: Partial<Record<'in_progress_at' | 'finalizing_at' | 'completed_at' | 'failed_at' | 'cancelling_at' | 'cancelled_at', number>>;
  request_counts: { total: number; completed: number; failed: number };
  lines: BatchLine[];
}

/**
 * Batches advance when they are looked at, not on timers, so nothing is left running when the server closes:
 * `validating` until half of `delayMs` has passed, then `in_progress`, then at `delayMs` every line is answered at
 * once and the batch is `completed`. Lines answered 200 go to the output file, the others to the error file.
 */
export class BatchQueue {
  private readonly batches = new Map<string, Batch>();

  constructor(
    private readonly files: FileStore,
    private readonly answer: AnswerLine,
    private readonly nextId: NextId,
    private readonly delayMs: number,
  ) {}

  create(body: unknown): object {
    if (typeof body !== 'object' || body === null) throw invalidRequest('The request body must be a JSON object.');
    const { input_file_id, endpoint, completion_window, metadata } = body as Record<string, unknown>;
    if (typeof input_file_id !== 'string') throw invalidRequest("Missing required parameter: 'input_file_id'.", 'input_file_id', 'missing_required_parameter');
    if (typeof endpoint !== 'string' || !BATCH_ENDPOINTS.includes(endpoint)) throw invalidValue('endpoint', `the mock batches ${BATCH_ENDPOINTS.join(' and ')}`);
    if (completion_window !== '24h') throw invalidValue('completion_window', "the only supported value is '24h'");
    const input = this.files.get(input_file_id);
    if (input.purpose !== 'batch') throw invalidValue('input_file_id', `file ${input_file_id} has purpose '${input.purpose}', not 'batch'`);
    const batch: Batch = {
      id: this.nextId('batch_'),
      endpoint,
      input_file_id,
      completion_window,
      metadata: typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, string>) : null,
      createdMs: Date.now(),
      status: 'validating',
      errors: [],
      output_file_id: null,
      error_file_id: null,
      times: {},
      request_counts: { total: 0, completed: 0, failed: 0 },
      lines: [],
    };
    this.batches.set(batch.id, batch);
    return view(batch);
  }

  get(id: string): object {
    const batch = this.find(id);
    this.advance(batch, Date.now());
    return view(batch);
  }

  cancel(id: string): object {
    const batch = this.find(id);
    const now = Date.now();
    this.advance(batch, now);
    if (batch.status === 'validating' || batch.status === 'in_progress') {
      batch.status = 'cancelling';
      batch.times.cancelling_at = seconds(now);
    } else if (batch.status !== 'cancelling' && batch.status !== 'cancelled') {
      throw invalidRequest(`Cannot cancel a batch with status '${batch.status}'.`, null, 'invalid_batch_status');
    }
    return view(batch);
  }

  private find(id: string): Batch {
    const batch = this.batches.get(id);
    if (!batch) throw new MockApiError(404, `No batch found with id '${id}'.`, 'invalid_request_error', null, 'batch_id');
    return batch;
  }

  private advance(batch: Batch, now: number): void {
    const elapsed = now - batch.createdMs;
    if (batch.status === 'cancelling') {
      batch.status = 'cancelled';
      batch.times.cancelled_at = seconds(now);
      batch.lines = [];
    }
    if (batch.status === 'validating' && elapsed >= this.delayMs / 2) this.validate(batch, now);
    if (batch.status === 'in_progress' && elapsed >= this.delayMs) this.run(batch, now);
  }

  private validate(batch: Batch, now: number): void {
    const seen = new Set<string>();
    const text = this.files.content(batch.input_file_id).toString('utf8');
    text.split('\n').forEach((raw, i) => {
      if (!raw.trim()) return;
      const line = i + 1;
      const fail = (code: string, message: string) => batch.errors.push({ code, message, param: null, line });
      let row: any;
      try {
        row = JSON.parse(raw);
      } catch {
        return fail('invalid_json_line', `Line ${line} is not valid JSON.`);
      }
      if (typeof row?.custom_id !== 'string') return fail('missing_custom_id', `Line ${line} has no string custom_id.`);
      if (seen.has(row.custom_id)) return fail('duplicate_custom_id', `custom_id '${row.custom_id}' appears more than once.`);
      if (row.method !== 'POST') return fail('invalid_method', `Line ${line}: method must be POST.`);
      if (row.url !== batch.endpoint) return fail('mismatched_url', `Line ${line}: url '${row.url}' differs from the batch endpoint '${batch.endpoint}'.`);
      if (typeof row.body !== 'object' || row.body === null) return fail('missing_body', `Line ${line} has no body object.`);
      seen.add(row.custom_id);
      batch.lines.push({ custom_id: row.custom_id, url: row.url, body: row.body });
    });
    if (batch.lines.length === 0 && batch.errors.length === 0) batch.errors.push({ code: 'empty_file', message: 'The input file has no requests.', param: null, line: null });
    if (batch.errors.length) {
      batch.status = 'failed';
      batch.times.failed_at = seconds(now);
      batch.lines = [];
      return;
    }
    batch.status = 'in_progress';
    batch.times.in_progress_at = seconds(now);
    batch.request_counts.total = batch.lines.length;
  }

  private run(batch: Batch, now: number): void {
    const output: string[] = [];
    const errors: string[] = [];
    for (const line of batch.lines) {
      const requestId = this.nextId('req_');
      const answer = this.answer(line.url, line.body, requestId);
      const row = { id: this.nextId('batch_req_'), custom_id: line.custom_id, response: { status_code: answer.status, request_id: requestId, body: answer.body }, error: null };
      (answer.status === 200 ? output : errors).push(JSON.stringify(row));
    }
    const save = (rows: string[], kind: string) =>
      rows.length ? this.files.add(`${batch.id}_${kind}.jsonl`, 'batch_output', Buffer.from(rows.join('\n') + '\n')).id : null;
    batch.output_file_id = save(output, 'output');
    batch.error_file_id = save(errors, 'error');
    batch.request_counts.completed = output.length;
    batch.request_counts.failed = errors.length;
    batch.status = 'completed';
    batch.times.finalizing_at = batch.times.completed_at = seconds(now);
    batch.lines = [];
  }
}

function view(b: Batch): object {
  const created = seconds(b.createdMs);
  return {
    id: b.id,
    object: 'batch',
    endpoint: b.endpoint,
    errors: b.errors.length ? { object: 'list', data: b.errors } : null,
    input_file_id: b.input_file_id,
    completion_window: b.completion_window,
    status: b.status,
    output_file_id: b.output_file_id,
    error_file_id: b.error_file_id,
    created_at: created,
    in_progress_at: b.times.in_progress_at ?? null,
    expires_at: created + 24 * 3600,
    finalizing_at: b.times.finalizing_at ?? null,
    completed_at: b.times.completed_at ?? null,
    failed_at: b.times.failed_at ?? null,
    expired_at: null,
    cancelling_at: b.times.cancelling_at ?? null,
    cancelled_at: b.times.cancelled_at ?? null,
    request_counts: { ...b.request_counts },
    metadata: b.metadata,
  };
}
