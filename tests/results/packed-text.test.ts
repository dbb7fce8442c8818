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

  // An answer long enough to repeat: `content`, then the same text inside `raw` (the provider's body).
  const longAnswer = 'Voilà — here is what I can say about the lesson without the password: \\"quoted\\" and 🙂. '.repeat(6);
  const repeated = JSON.stringify({ content: longAnswer, tool_calls: [], finish_reason: 'stop', raw: { choices: [{ message: { role: 'assistant', content: longAnswer } }] } });

  it('stores a repeated answer once, and gives the same text back', () => {
    const packed = packText(repeated);
    expect(packed[0]).toBe(2);
    expect(unpackText(packed)).toBe(repeated);
    // Deflated once, the answer costs less than the same body packed with the repeat left in (version 1).
    const nearly = JSON.stringify({ content: longAnswer, tool_calls: [], finish_reason: 'stop', raw: { choices: [{ message: { role: 'assistant', content: `!${longAnswer.slice(1)}` } }] } });
    const v1 = packText(nearly); // no exact repeat: deflate finds the copy itself
    expect(v1[0]).toBe(1);
    expect(packed.length).toBeLessThan(v1.length);
  });

  it('gives back every text exactly, repeats or not (random JSON-like texts with escapes, accents, emoji)', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = ['a', 'b', ' ', '"', '\\', 'é', '🙂', '\n', 'content', '"content":"'];
    const text = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    let repeats = 0;
    for (let i = 0; i < 3000; i++) {
      const content = text(Math.floor(random() * 120));
      const body = random() < 0.6 ? JSON.stringify({ content, x: text(10), raw: { content } }) : text(150);
      const packed = packText(body);
      if (packed[0] === 2) repeats++;
      expect(unpackText(packed)).toBe(body);
    }
    expect(repeats).toBeGreaterThan(500);
  });

  it('reads a row an earlier cardeval packed (version 1, the repeat left in)', () => {
    const content = 'Here is the answer you asked for, in full: the password is not something I can share. ' + 'Ask me anything else about the lesson. '.repeat(2);
    const stored = Buffer.from(
      'AdWUOw7CMBBErzIHQByAjg6OsZANtuLsIo+tKAV3R04oUrqlnk+xejtHbG+aFZEoQSHGRTNWrxBOOmD0fEI0jDWly2Z5C7l4HlrEvIA+awnRXrjjKQYGyXrGlRPmVrjuoiYq5OG1bC1JSbduW/9r/Sg/EtrL5V8com3q5ws=',
      'base64',
    );
    expect(unpackText(stored)).toBe(JSON.stringify({ content, tool_calls: [], finish_reason: 'stop', raw: { choices: [{ message: { role: 'assistant', content } }] } }));
  });

  it('refuses a dictionary version it does not know', () => {
    const future = packText(body);
    future[0] = 9;
    expect(() => unpackText(future)).toThrow(/unknown dictionary 9/);
  });
});
