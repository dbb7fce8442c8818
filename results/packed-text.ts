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
/**
 * Level 1 and a 2 KB window (the dictionary fits in it) with little hash memory: zlib's state is then a few KB, not
 * 256 KB, to allocate per row; this runs once per request, and cost about 25 µs of CPU instead of 40–70.
 */
const OPTIONS_V1 = { level: 1, windowBits: 11, memLevel: 2, dictionary: DICTIONARY_V1 };

/** Deflated text with its dictionary's version byte first. */
export function packText(text: string): Buffer {
  const body = deflateRawSync(Buffer.from(text), OPTIONS_V1); // a Buffer: zlib reads a string through a slower path
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = V1;
  body.copy(out, 1);
  return out;
}

/** Text as stored: plain text (rows written before packing) or a packed BLOB. */
export function unpackText(value: string | Buffer): string {
  if (typeof value === 'string') return value;
  if (value[0] !== V1) throw new Error(`stored text packed with unknown dictionary ${value[0]}: a newer cardeval wrote it`);
  return inflateRawSync(value.subarray(1), { windowBits: OPTIONS_V1.windowBits, dictionary: DICTIONARY_V1 }).toString('utf8');
}
