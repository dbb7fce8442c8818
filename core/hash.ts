// The one sha256 helper, and canonical request hashing: the same request (keys in any order) always gets the same sha256.
import { createHash, hash } from 'node:crypto';
import type { ChatRequest } from './wire.js';

/** The sha256 of a text (UTF-8) or bytes, in hex (or base64url). */
export function sha256(data: string | Buffer, encoding: 'hex' | 'base64url' = 'hex'): string {
  return hash('sha256', data, encoding); // one call: a Hash object costs as much again on a short text
}

/** JSON with every object's keys sorted and undefined members left out: one text per value, whatever its key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  let out = '';
  writeCanonical(value, (piece) => (out += piece));
  return out;
}

/** The cache key: the request including tools, plus the epoch so repeated epochs are distinct samples. */
export function requestHash(request: ChatRequest, epoch = 0): string {
  return canonicalSha256({ request, epoch });
}

/** What JSON.stringify escapes in a string: quotes, backslashes, control characters, surrogates (when unpaired). */
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * Writes `value` as canonical JSON, a piece at a time. A long string with nothing to escape comes as a `verbatim`
 * piece between two quote pieces (the same text as JSON.stringify's), so a hash can take it without a copy. What JSON
 * cannot write is '' in an array and "undefined" as an object's member.
 */
function writeCanonical(value: unknown, put: (piece: string, verbatim?: boolean) => void, inArray = false): void {
  if (typeof value === 'string' && value.length >= 64 && !ESCAPED.test(value)) {
    put('"');
    put(value, true);
    put('"');
  } else if (value === null || typeof value !== 'object') {
    put(JSON.stringify(value) ?? (inArray ? '' : 'undefined'));
  } else if (Array.isArray(value)) {
    put('[');
    for (let i = 0; i < value.length; i++) {
      if (i) put(',');
      writeCanonical(value[i], put, true); // a hole too, as ''
    }
    put(']');
  } else {
    const object = value as Record<string, unknown>;
    let first = true;
    put('{');
    for (const key of sortedKeys(object)) {
      if (object[key] === undefined) continue;
      put(`${first ? '' : ','}${JSON.stringify(key)}:`);
      first = false;
      writeCanonical(object[key], put);
    }
    put('}');
  }
}

/**
 * An object's keys in code-unit order, as `Object.keys(object).sort()` gives them. A request's objects have a few keys,
 * and Array.prototype.sort allocates its working state on every call (about 900 bytes, most of what hashing a request
 * allocated): a few keys are put in order in place.
 */
function sortedKeys(object: object): string[] {
  const keys = Object.keys(object);
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    for (; j >= 0 && keys[j] > key; j--) keys[j + 1] = keys[j];
    keys[j + 1] = key;
  }
  return keys;
}

/**
 * `sha256(canonicalJson(value))`, fed to the hash as it is written: a request's long texts go in as they are, never
 * copied into one string (the largest piece of garbage a request made in cardeval's own code).
 */
export function canonicalSha256(value: unknown): string {
  const hash = createHash('sha256');
  let pending = ''; // the short pieces, passed to the hash before each long text
  writeCanonical(value, (piece, verbatim) => {
    if (!verbatim) pending += piece;
    else {
      hash.update(pending).update(piece);
      pending = '';
    }
  });
  return hash.update(pending).digest('hex');
}
