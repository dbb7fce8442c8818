// Canonical request hashing: the same request (keys in any order) always gets the same sha256.
import { createHash } from 'node:crypto';
import type { ChatRequest } from './types.js';

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return '{' + entries.map(([k, v]) => JSON.stringify(k) + ':' + canonicalJson(v)).join(',') + '}';
  }
  return JSON.stringify(value);
}

/** The cache key: the request including tools, plus the epoch so repeated epochs are distinct samples. */
export function requestHash(request: ChatRequest, epoch = 0): string {
  return createHash('sha256').update(canonicalJson({ request, epoch })).digest('hex');
}
