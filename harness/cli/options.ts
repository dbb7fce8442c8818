// Parsers for option values: each turns one command-line string into a checked value or names what is wrong with it.
import { InvalidArgumentError } from 'commander';
import { MAX_TIMER_MS } from '../../core/run-config.js';

/** A whole number in [min, max]; digits only, so "1e3", "0x10" and "12abc" are refused rather than read loosely. */
export function integer(min: number, max: number = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`It must be a whole number from ${min} to ${max}.`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`It must be a whole number from ${min} to ${max}.`);
    return n;
  };
}

/** A finite number in a range; `open` excludes both ends. */
export function decimal(min: number, max: number, { open = false, what = 'a number' } = {}): (value: string) => number {
  const range = max === Infinity ? (open ? `above ${min}` : `of at least ${min}`) : open ? `between ${min} and ${max} (exclusive)` : `from ${min} to ${max}`;
  return (value) => {
    const n = Number(value);
    const ok = value.trim() !== '' && Number.isFinite(n) && (open ? n > min && n < max : n >= min && n <= max);
    if (!ok) throw new InvalidArgumentError(`It must be ${what} ${range}.`);
    return n;
  };
}

/** Milliseconds Node's timers can wait (setTimeout caps at 2^31 − 1). */
export const milliseconds = integer(0, MAX_TIMER_MS);

/** `--shard I/N` with 1 ≤ I ≤ N. */
export function shard(value: string): { index: number; count: number } {
  const m = value.match(/^(\d+)\/(\d+)$/);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count || count > 1_000_000) throw new InvalidArgumentError('It must be I/N with 1 ≤ I ≤ N (e.g. 1/4).');
  return { index, count };
}

/** `--eval ID` or `--eval ID:VARIANT`; repeats collect. Whether the eval exists is the registry's to say. */
export function evalSpec(value: string, previous: string[] = []): string[] {
  if (!/^[^:\s]+(:[^:\s]+)?$/.test(value)) throw new InvalidArgumentError('It must be ID or ID:VARIANT (one colon at most).');
  return [...previous, value];
}

/** A repeatable string option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** What `--fail-under` collects: a floor for every headline row, and floors for named rows (`EVAL` or `EVAL:VARIANT`). */
export interface Floors {
  all?: number;
  rows: Record<string, number>;
}

/** `--fail-under X` or `--fail-under EVAL[:VARIANT]=X` (X from 0 to 1); repeats collect, a later one for the same rows wins. */
export function floor(value: string, previous: Floors = { rows: {} }): Floors {
  const m = value.match(/^(?:([^:=\s]+(?::[^:=\s]+)?)=)?(.*)$/)!;
  const x = decimal(0, 1, { what: 'a score' })(m[2]);
  return m[1] === undefined ? { ...previous, all: x } : { ...previous, rows: { ...previous.rows, [m[1]]: x } };
}
