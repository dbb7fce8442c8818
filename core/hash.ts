// The one sha256 helper, and canonical request hashing: the same request (keys in any order) always gets the same sha256.
import { createHash } from 'node:crypto';
import type { ChatRequest } from './wire.js';

/** Hex sha256 of a text (UTF-8) or bytes. */
export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** JSON with every object's keys sorted and undefined members left out: one text per value, whatever its key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + (canonicalJson(value[i]) ?? '');
    return out + ']';
  }
  const object = value as Record<string, unknown>;
  let out = '{';
  for (const key of Object.keys(object).sort()) {
    if (object[key] === undefined) continue;
    out += (out.length > 1 ? ',' : '') + JSON.stringify(key) + ':' + canonicalJson(object[key]);
  }
  return out + '}';
}

/** The cache key: the request including tools, plus the epoch so repeated epochs are distinct samples. */
export function requestHash(request: ChatRequest, epoch = 0): string {
  return canonicalSha256({ request, epoch });
}

/** What JSON.stringify escapes in a string: quotes, backslashes, control characters, surrogates (when unpaired). */
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * `sha256(canonicalJson(value))`, fed to the hash as it is written: a request's long texts go in as they are, never
 * copied into one string (the largest piece of garbage a request made in cardeval's own code).
 */
export function canonicalSha256(value: unknown): string {
  const hash = createHash('sha256');
  let pending = ''; // the short parts, passed to the hash before each long text
  const write = (v: unknown, inArray: boolean): void => {
    if (typeof v === 'string' && v.length >= 64 && !ESCAPED.test(v)) {
      hash.update(`${pending}"`).update(v);
      pending = '"';
    } else if (v === null || typeof v !== 'object') {
      // As canonicalJson: what JSON cannot write is '' in an array and "undefined" as an object's member.
      pending += JSON.stringify(v) ?? (inArray ? '' : 'undefined');
    } else if (Array.isArray(v)) {
      pending += '[';
      for (let i = 0; i < v.length; i++) {
        if (i) pending += ',';
        write(v[i], true);
      }
      pending += ']';
    } else {
      const object = v as Record<string, unknown>;
      pending += '{';
      let first = true;
      for (const key of Object.keys(object).sort()) {
        if (object[key] === undefined) continue;
        pending += `${first ? '' : ','}${JSON.stringify(key)}:`;
        first = false;
        write(object[key], false);
      }
      pending += '}';
    }
  };
  write(value, false);
  return hash.update(pending).digest('hex');
}
