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
  return sha256(canonicalJson({ request, epoch }));
}
