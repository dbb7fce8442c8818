// The cache key's hash, written piece by piece, must equal the hash of the canonical text it stands for: a key that
// moved would make every stored answer a cache miss (and a fixtures file unreadable).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalSha256, requestHash } from '../../core/hash.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** The canonical text as cardeval first wrote it, by plain concatenation: the reference the piecewise writer must equal. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + (reference(value[i]) ?? '');
    return out + ']';
  }
  const object = value as Record<string, unknown>;
  let out = '{';
  for (const key of Object.keys(object).sort()) {
    if (object[key] === undefined) continue;
    out += (out.length > 1 ? ',' : '') + JSON.stringify(key) + ':' + reference(object[key]);
  }
  return out + '}';
}

/** A seeded stream of numbers in [0, 1). */
function random(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

const PIECES = ['a', 'plain text ', '"quoted"', 'back\\slash', 'tab\there', 'new\nline', '£ and €', 'é', '😀', '\ud83d', '\ude00', '\u0000', ' '];

function value(next: () => number, depth: number): unknown {
  const r = next();
  if (depth > 3 || r < 0.35) {
    const k = Math.floor(next() * 8);
    if (k < 4) {
      let s = '';
      const length = Math.floor(next() * (next() < 0.5 ? 10 : 200));
      while (s.length < length) s += PIECES[Math.floor(next() * PIECES.length)];
      return s;
    }
    return [0, -1.5, 1e21, null, true, undefined, () => 1][k - 4 + Math.floor(next() * 3)];
  }
  if (r < 0.6) return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1));
  // Keys in code-unit order that differs from other orders (capitals, digits, accents, astral characters), and now and
  // then more keys than the writer sorts in place.
  const keys = ['model', 'messages', 'role', 'content', 'b', 'a', '10', '9', 'é', 'tools', 'Z', 'A', '_', 'ab', 'a b', 'ß', '😀', 'ｚ', 'tool_calls', 'tool'];
  const count = Math.floor(next() * (next() < 0.1 ? 40 : 5));
  return Object.fromEntries(Array.from({ length: count }, () => [keys[Math.floor(next() * keys.length)], value(next, depth + 1)]));
}

describe('canonicalSha256', () => {
  it('equals the sha256 of the reference text, as canonicalJson equals that text, on 5,000 random values (long texts with and without escapes, surrogates, holes)', () => {
    const next = random(7);
    for (let i = 0; i < 5000; i++) {
      const v = { request: value(next, 0), epoch: i % 3, sparse: i % 50 === 0 ? [1, , 3] : undefined }; // eslint-disable-line no-sparse-arrays
      expect(canonicalJson(v), JSON.stringify(v)).toBe(reference(v));
      expect(canonicalSha256(v), JSON.stringify(v)).toBe(sha(reference(v)));
    }
  });

  it('keeps the cache key of a request as it was', () => {
    const request = { model: 'gpt-4o', messages: [{ role: 'system' as const, content: 'You are a tutor. '.repeat(10) }, { role: 'user' as const, content: 'What is 2 + 2? "Say it."' }] };
    // python3: json.dumps({'request': request, 'epoch': 1}, sort_keys=True, separators=(',', ':'), ensure_ascii=False),
    // then hashlib.sha256(text.encode()).hexdigest()
    expect(requestHash(request, 1)).toBe('dcc0df09b166e5e3c38104ed6c4d6ba5f2264b5f840412d437d51bc9466eea71');
  });
});
