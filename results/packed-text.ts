// Stored JSON text, deflated against a dictionary of what every request and answer repeats (bytes per item).
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * The JSON every chat request and answer repeats: keys, roles, the SDK body's boilerplate. Deflate finds these in the
 * dictionary instead of in the row, so a 1 KB answer stores in about 200 bytes. Rows name their dictionary by their
 * first byte: this text may never change; a new one gets the next version byte and this one stays for old rows.
 */
const DICTIONARY_V1 = Buffer.from(
  '{"model":"","messages":[{"role":"system","content":""},{"role":"developer","content":""},{"role":"user","content":""},' +
    '{"role":"assistant","content":"","tool_calls":[{"id":"call_","type":"function","function":{"name":"python","arguments":"{\\"code\\":\\""}}]},' +
    '{"role":"tool","tool_call_id":"call_","content":""}],"tools":[{"type":"function","function":{"name":"python","description":"","parameters":{"type":"object","properties":{}}}}],' +
    '"reasoning_effort":"","max_completion_tokens":' +
    '{"content":"","tool_calls":[],"finish_reason":"stop","usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0,"cached_tokens":0,"reasoning_tokens":0},' +
    '"model":"","raw":{"id":"chatcmpl-","object":"chat.completion","created":17,"model":"","choices":[{"index":0,"message":{"role":"assistant","content":"",' +
    '"refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0,' +
    '"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,' +
    '"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_"}}',
);
const V1 = 1;
/** V1's dictionary and settings, with a repeated answer stored once (see `packText`). */
const V2 = 2;
/**
 * Level 1 and a 2 KB window (the dictionary fits in it) with little hash memory: zlib's state is then a few KB, not
 * 256 KB, to allocate per row; this runs once per request, and cost about 25 µs of CPU instead of 40–70.
 */
const OPTIONS_V1 = { level: 1, windowBits: 11, memLevel: 2, dictionary: DICTIONARY_V1 };
/** A repeat shorter than this is left to deflate, which matches it at about the cost of the header naming it. */
const SHORTEST_REPEAT = 64;

/**
 * Deflated text with its dictionary's version byte first. A stored answer holds its text twice, as `content` and
 * inside `raw` (the provider's own body), and deflate's cost is in the bytes it reads, not in what it writes: the
 * second copy is cut out before deflating and named instead (V2: where it goes, where it comes from, its length), so
 * a long answer costs half the CPU to store.
 */
export function packText(text: string): Buffer {
  const repeat = repeatedContent(text);
  if (!repeat) return withHeader([V1], deflate(utf8(text)));
  const { at, from, length } = repeat;
  return withHeader([V2, at, from, length], deflate(utf8(text.slice(0, at), text.slice(at + length))));
}

/** Text as stored: plain text (rows written before packing) or a packed BLOB. */
export function unpackText(value: string | Buffer): string {
  if (typeof value === 'string') return value;
  if (value[0] === V1) return inflate(value.subarray(1));
  if (value[0] === V2) {
    const [at, from, length] = [value.readUInt32LE(1), value.readUInt32LE(5), value.readUInt32LE(9)];
    const rest = inflate(value.subarray(13));
    return rest.slice(0, at) + rest.slice(from, from + length) + rest.slice(at);
  }
  throw new Error(`stored text packed with unknown dictionary ${value[0]}: a newer cardeval wrote it`);
}

/**
 * The first `"content":"…"` string's text and where it comes again, if it is long enough to be worth naming. Any
 * exact repeat restores exactly; cuts that would split a UTF-16 surrogate pair are left alone (text is deflated as
 * UTF-8, where half a pair would not survive).
 */
function repeatedContent(text: string): { at: number; from: number; length: number } | undefined {
  const key = text.indexOf('"content":"');
  if (key < 0) return undefined;
  const from = key + '"content":"'.length;
  let end = text.indexOf('"', from);
  while (end > 0 && escaped(text, end)) end = text.indexOf('"', end + 1);
  const length = end - from;
  if (end < 0 || length < SHORTEST_REPEAT || isSurrogate(text, from) || isSurrogate(text, end - 1)) return undefined;
  const at = text.indexOf(text.slice(from, end), end);
  return at < 0 ? undefined : { at, from, length };
}

/** Whether the quote at `i` is escaped: an odd number of backslashes before it. */
function escaped(text: string, i: number): boolean {
  let slashes = 0;
  while (text.charCodeAt(i - 1 - slashes) === 0x5c) slashes++;
  return slashes % 2 === 1;
}

function isSurrogate(text: string, i: number): boolean {
  const unit = text.charCodeAt(i);
  return unit >= 0xd800 && unit <= 0xdfff;
}

/**
 * Output in 1 KB pieces: a packed answer is a few hundred bytes, and zlib's default 16 KB output buffer is too large
 * for Buffer's pool, so each call allocated one outside V8's heap (about 10 µs of every answer, and memory V8 counts
 * toward its next collection).
 */
const DEFLATE_OPTIONS = { ...OPTIONS_V1, chunkSize: 1024 };

/** A Buffer for zlib, which reads a string through a slower path; two parts are encoded into one (no joined copy). */
function utf8(...parts: string[]): Buffer {
  if (parts.length === 1) return Buffer.from(parts[0]);
  const out = Buffer.allocUnsafe(parts.reduce((sum, part) => sum + Buffer.byteLength(part), 0));
  let at = 0;
  for (const part of parts) at += out.write(part, at);
  return out;
}

function deflate(bytes: Buffer): Buffer {
  return deflateRawSync(bytes, DEFLATE_OPTIONS);
}

function inflate(body: Buffer): string {
  return inflateRawSync(body, { windowBits: OPTIONS_V1.windowBits, dictionary: DICTIONARY_V1 }).toString('utf8');
}

/** The version byte, then each number as 4 bytes (little-endian), then the body. */
function withHeader([version, ...numbers]: number[], body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(1 + 4 * numbers.length + body.length);
  out[0] = version;
  for (let i = 0; i < numbers.length; i++) out.writeUInt32LE(numbers[i], 1 + 4 * i);
  body.copy(out, 1 + 4 * numbers.length);
  return out;
}
