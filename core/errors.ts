// The one error hierarchy. Callers switch on the class (or `code`), never on message text.

/** The exit code of an unexpected error, cardeval's or not (EX_SOFTWARE): never 1, which means a gate failed. */
export const INTERNAL_ERROR_EXIT = 70;

export abstract class CardevalError extends Error {
  abstract readonly code: string;
  /** The CLI exit code this error maps to; a subclass that means bad usage or input says 2. */
  readonly exitCode: number = INTERNAL_ERROR_EXIT;
}

/** Bad usage or configuration: unknown eval, bad flag, unsupported parameter. Exit 2. */
export class ConfigError extends CardevalError {
  readonly code = 'config';
  override readonly exitCode = 2;
}

/** A dataset row or input file that breaks its schema. Names file, line and field. Exit 2. */
export class DatasetError extends CardevalError {
  readonly code = 'dataset';
  override readonly exitCode = 2;
  constructor(
    readonly file: string,
    readonly line: number,
    readonly field: string,
    detail: string,
  ) {
    super(`${file}:${line}: field "${field}": ${detail}`);
  }
}

export interface RunnerErrorInfo {
  status?: number;
  requestId?: string;
  retryable: boolean;
  /** Stop the whole run at once (authentication, quota, invalid request). */
  fatal: boolean;
  kind: string;
}

const usageKinds = new Set(['authentication', 'permission', 'not_found', 'invalid_request']);

/** A model call failed. `fatal` errors stop the run; others are stored against the item. */
export class RunnerError extends CardevalError {
  readonly code = 'runner';
  readonly status?: number;
  readonly requestId?: string;
  readonly retryable: boolean;
  readonly fatal: boolean;
  readonly kind: string;
  /** A request the user must fix (key, permission, model name, parameters) is exit 2; any other stop leaves the run incomplete, exit 3. */
  override readonly exitCode: number;
  constructor(message: string, info: RunnerErrorInfo) {
    super(message);
    this.status = info.status;
    this.requestId = info.requestId;
    this.retryable = info.retryable;
    this.fatal = info.fatal;
    this.kind = info.kind;
    this.exitCode = usageKinds.has(info.kind) ? 2 : 3;
  }
}

/**
 * `--max-cost` holds no room for the next request (nothing sent), or an answer cost more than was reserved for it (the
 * run stops at once). Fatal to the run, never to the item: the item stays pending, and its exit code is 3 (resumable
 * with a larger budget).
 */
export class BudgetExceededError extends RunnerError {
  constructor(message: string) {
    super(message, { retryable: false, fatal: true, kind: 'budget' });
    this.name = 'BudgetExceededError';
  }
}

/** The sandbox's machinery failed (engine, image, container), never the sandboxed code itself. */
export class SandboxError extends CardevalError {
  readonly code = 'sandbox';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SandboxError';
  }
}

/**
 * The machine, not the user's input, is in the way: an unusable database path or file, disk full, a port in use, an
 * output path that cannot be written, a run another process holds. Exit 2, one line, no stack.
 */
export class EnvironmentError extends CardevalError {
  readonly code = 'environment';
  override readonly exitCode = 2;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EnvironmentError';
  }
}

/**
 * The user interrupted the run (Ctrl-C, SIGTERM) while an item was mid-way: nothing new is sent for it and it is
 * stored as an `interrupted` error, never scored, so resume does it again.
 */
export class InterruptedError extends CardevalError {
  readonly code = 'interrupted';
  override readonly exitCode = 3;
  constructor(message = 'interrupted before it finished; resume runs it again') {
    super(message);
    this.name = 'InterruptedError';
  }
}

/**
 * The one redaction, for every path text leaves by (errors, logs, stored answers, fixtures files, every report format):
 * anything shaped like an OpenAI key or a bearer token, and the keys this process holds (`OPENAI_API_KEY`,
 * `OPENAI_ADMIN_KEY`) or is given, whatever their shape.
 */
export function redact(text: string, secrets: Array<string | undefined> = []): string {
  return redactWith(text, secretsToHide(secrets));
}

/** A JSON value with `redact` applied to every string in it; `found` says whether anything was removed. */
export function redactJson<T>(value: T): { value: T; found: boolean } {
  // Every answer passes here: look first without allocating, and rebuild only a value that holds a key.
  const secrets = secretsToHide([]);
  const holds = (v: unknown): boolean => {
    if (typeof v === 'string') return redactWith(v, secrets) !== v;
    if (v && typeof v === 'object') {
      // for…in, not Object.values: no array made for each object of an answer on the way to finding nothing
      for (const key in v) if (Object.hasOwn(v, key) && holds((v as Record<string, unknown>)[key])) return true;
    }
    return false;
  };
  const clean = (v: unknown): unknown => {
    if (typeof v === 'string') return redactWith(v, secrets);
    if (Array.isArray(v)) return v.map(clean);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clean(x)]));
    return v;
  };
  return holds(value) ? { value: clean(value) as T, found: true } : { value, found: false };
}

function secretsToHide(given: Array<string | undefined>): string[] {
  return [...given, process.env.OPENAI_API_KEY, process.env.OPENAI_ADMIN_KEY].filter((s): s is string => !!s && s.length >= 6);
}

/** `includes` first: the regular expressions cost a few µs on a long answer that holds nothing. */
function redactWith(text: string, secrets: string[]): string {
  let out = text;
  if (out.includes('sk-')) out = out.replace(/\b(sk-[A-Za-z0-9_-]{8,})/g, 'sk-***');
  if (out.includes('earer')) out = out.replace(/\b([Bb]earer\s+)[A-Za-z0-9._~+/=-]{8,}/g, '$1***');
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('***');
  return out;
}
