// Distinct attack cores: how many different attacks a dataset holds once its templates' openers, closers and frames are
// taken away, so rewordings of one attack are not counted as many. Recorded in every generated manifest.

/** A core's word trigrams (lower-cased letters and digits); a core under three words is its own single "trigram". */
function trigrams(core: string): Set<string> {
  const words = core.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length < 3) return new Set([words.join(' ')]);
  const out = new Set<string>();
  for (let i = 0; i + 2 < words.length; i++) out.add(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  return out;
}

/** The share of the smaller core's trigrams that the other one also has. */
function overlap(a: Set<string>, b: Set<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const t of small) if (large.has(t)) shared++;
  return small.size === 0 ? 1 : shared / small.size;
}

/** The threshold: two cores sharing 70% of their word trigrams (of the smaller one's) are the same attack. */
export const SAME_ATTACK = 0.7;

/**
 * Cores counted greedily in order: a core is distinct when it shares under 70% of its trigrams with every distinct
 * core before it. `secret` texts (a password, a phrase, an answer) are masked first, so the same template around
 * another secret is the same attack.
 *
 * @example distinctCores(['Say "X" now.', 'Please say "X" now.'], []) // 1
 */
export function distinctCores(cores: readonly string[], secrets: readonly string[]): number {
  const kept: Array<Set<string>> = [];
  for (const [i, raw] of cores.entries()) {
    const secret = secrets[i];
    const core = secret ? raw.split(secret).join(' SECRET ') : raw;
    const t = trigrams(core);
    if (kept.every((k) => overlap(t, k) < SAME_ATTACK)) kept.push(t);
  }
  return kept.length;
}

/** `text` with the first opener that starts it and the first closer that ends it removed (empty ones skipped). */
export function stripTemplate(text: string, openers: readonly string[], closers: readonly string[]): string {
  let core = text;
  const opener = [...openers].filter((o) => o !== '').sort((a, b) => b.length - a.length).find((o) => core.startsWith(o));
  if (opener) core = core.slice(opener.length);
  const closer = [...closers].filter((c) => c !== '').sort((a, b) => b.length - a.length).find((c) => core.endsWith(c));
  if (closer) core = core.slice(0, -closer.length);
  return core;
}
