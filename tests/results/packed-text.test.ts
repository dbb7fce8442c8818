import { describe, it, expect } from 'vitest';
import { packText, unpackText } from '../../results/packed-text.js';

describe('packed text', () => {
  const body = JSON.stringify({
    content: 'Je ne peux pas partager le mot de passe — désolé. 🙂', tool_calls: [], finish_reason: 'stop',
    usage: { prompt_tokens: 69, completion_tokens: 28, total_tokens: 97, cached_tokens: 0, reasoning_tokens: 0 }, model: 'o3-mini-2025-01-31',
    raw: { id: 'chatcmpl-B9', object: 'chat.completion', created: 1795930338, model: 'o3-mini-2025-01-31', choices: [{ index: 0, message: { role: 'assistant', content: 'Je ne peux pas partager le mot de passe — désolé. 🙂', refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }], usage: { prompt_tokens: 69, completion_tokens: 28, total_tokens: 97, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } }, service_tier: 'default', system_fingerprint: 'fp_ef58bd3122' },
  });

  it('gives back the same text, non-ASCII included', () => {
    expect(unpackText(packText(body))).toBe(body);
    expect(unpackText(packText(''))).toBe('');
  });

  it('stores an answer body in well under half its bytes (the dictionary holds its boilerplate)', () => {
    expect(packText(body).length).toBeLessThan(Buffer.byteLength(body) / 2);
  });

  it('reads plain text (rows written before packing) as it is', () => {
    expect(unpackText('{"a":1}')).toBe('{"a":1}');
  });

  it('refuses a dictionary version it does not know', () => {
    const future = packText(body);
    future[0] = 9;
    expect(() => unpackText(future)).toThrow(/unknown dictionary 9/);
  });
});
