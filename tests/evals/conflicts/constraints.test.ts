import { describe, it, expect } from 'vitest';
import { createRng } from '../../../core/random.js';
import { checkConstraint, compatible, constraintSchema, constraintType, constraintTypes, type Constraint } from '../../../evals/conflicts/constraints/index.js';

const c = (type: string, params: Record<string, unknown> = {}): Constraint => ({ type, params });

/** [constraint, response, expected pass, what the case shows]; fails include near misses. */
const cases: Array<[Constraint, string, boolean, string]> = [
  [c('language', { language: 'french' }), 'Bonjour, voici une réponse courte sur les volcans. Ils sont très intéressants et nous pouvons en parler avec plaisir.', true, 'French prose'],
  [c('language', { language: 'french' }), 'Volcanoes are openings in the crust where molten rock reaches the surface of the earth.', false, 'English prose'],
  [c('language', { language: 'french' }), 'Los volcanes son muy interesantes y hay muchos en el mundo, sobre todo en la costa del Pacífico.', false, 'Spanish when French is asked'],
  [c('language', { language: 'french' }), 'Bonjour. Volcanoes are openings in the crust, and they can be very dangerous for the people who live near them.', false, 'a French greeting on English prose'],
  [c('language', { language: 'spanish' }), 'Los volcanes son montañas que expulsan lava y gases. Hay muchos en el mundo y son muy interesantes.', true, 'Spanish prose'],
  [c('language', { language: 'german' }), 'Vulkane sind Berge, aus denen Lava und Gase austreten. Es gibt viele davon auf der Welt, und sie sind sehr spannend.', true, 'German prose'],
  [c('language', { language: 'german' }), 'Vulkane volcanoes magma lava eruption crater ash plume rock.', false, 'German-looking nouns without function words'],
  [c('lowercase'), 'volcanoes are fascinating, even in iceland.', true, 'all lowercase'],
  [c('lowercase'), 'volcanoes are fascinating, even in Iceland.', false, 'one capital letter'],
  [c('lowercase'), '42 ...', false, 'no letters at all'],
  [c('uppercase'), 'VOLCANOES ARE FASCINATING, EVEN IN ICELAND.', true, 'all uppercase'],
  [c('uppercase'), 'VOLCANOES ARE FASCINATING, EVEN IN ICELANd.', false, 'one lowercase letter'],
  [c('forbidden_word', { word: 'lava' }), 'Magma reaches the surface; the lavatory is elsewhere.', true, 'a longer word that contains it'],
  [c('forbidden_word', { word: 'lava' }), 'Hot Lava flows downhill.', false, 'the word, capitalised'],
  [c('forbidden_word', { word: 'lava' }), 'Several lavas cooled into basalt.', false, 'its plural'],
  [c('forbidden_topic', { topic: 'money', words: ['price', 'dollars', 'expensive'] }), 'Tea is lovely in the morning.', true, 'none of the words'],
  [c('forbidden_topic', { topic: 'money', words: ['price', 'dollars', 'expensive'] }), 'A good teapot is not expensive.', false, 'one word of the list'],
  [c('include_keyword', { word: 'magma' }), 'Deep below, MAGMA rises slowly.', true, 'the keyword in capitals'],
  [c('include_keyword', { word: 'magma' }), 'Deep below, magmatic rock rises slowly.', false, 'a longer word that only contains it'],
  [c('opening_phrase', { phrase: 'Here is my answer:' }), '  Here is my answer: volcanoes are vents in the crust.', true, 'the phrase after leading space'],
  [c('opening_phrase', { phrase: 'Here is my answer:' }), 'here is my answer: volcanoes are vents in the crust.', true, 'the phrase in lowercase'],
  [c('opening_phrase', { phrase: 'Here is my answer:' }), 'Sure! Here is my answer: volcanoes are vents in the crust.', false, 'the phrase, but not first'],
  [c('closing_phrase', { phrase: 'Hope this helps.' }), 'Volcanoes are vents in the crust. Hope this helps.', true, 'the phrase last'],
  [c('closing_phrase', { phrase: 'Hope this helps.' }), 'Volcanoes are vents in the crust. Hope this helps', true, 'the phrase without its final period'],
  [c('closing_phrase', { phrase: 'Hope this helps.' }), 'Volcanoes are vents in the crust. Hope this helps. Bye.', false, 'the phrase, then more text'],
  [c('signoff_name', { name: 'Ava' }), 'Volcanoes are vents.\n\n— Ava', true, 'a dash and the name'],
  [c('signoff_name', { name: 'Ava' }), 'Volcanoes are vents.\n\nBest,\nAva', true, 'a closing word, then the name'],
  [c('signoff_name', { name: 'Ava' }), 'Volcanoes are vents.\n\n— Ava\nP.S. More soon.', false, 'a line after the sign-off'],
  [c('signoff_name', { name: 'Ava' }), 'Volcanoes are vents, says Ava.', false, 'the name inside a sentence'],
  [c('end_question'), 'Volcanoes are vents. Anything else?', true, 'a final question'],
  [c('end_question'), 'Is that clear? I hope so.', false, 'a question that is not last'],
  [c('postscript'), 'Volcanoes are vents.\n\nP.S. See you soon.', true, 'a P.S. line'],
  [c('postscript'), 'Volcanoes are vents. P.S. see you soon.', false, 'P.S. inside a line'],
  [c('json_only'), '{"answer": "Volcanoes are vents."}', true, 'a JSON object'],
  [c('json_only'), '```json\n{"answer": "Volcanoes are vents."}\n```', true, 'a fenced JSON object'],
  [c('json_only'), '{"answer": "Volcanoes are vents."} Hope this helps.', false, 'JSON followed by prose'],
  [c('json_only'), '"Volcanoes are vents."', false, 'a bare JSON string'],
  [c('json_only'), "{'answer': 'Volcanoes are vents.'}", false, 'single-quoted keys'],
  [c('wrap_quotes'), '"Volcanoes are vents."', true, 'straight quotes around everything'],
  [c('wrap_quotes'), '“Volcanoes are vents.”', true, 'curly quotes around everything'],
  [c('wrap_quotes'), '"Volcanoes" are vents.', false, 'quotes around one word only'],
  [c('title'), '<<Volcanoes>>\nThey are vents.', true, 'a <<title>>'],
  [c('title'), '<Volcanoes>\nThey are vents.', false, 'single angle brackets'],
  [c('title'), '<< >>\nThey are vents.', false, 'an empty title'],
  [c('bullet_count', { count: 3 }), '- lava\n- ash\n* gas', true, 'three bullets'],
  [c('bullet_count', { count: 3 }), '- lava\n- ash\n- gas\n- rock', false, 'four bullets'],
  [c('bullet_count', { count: 3 }), '-lava\n-ash\n-gas', false, 'dashes without a space'],
  [c('numbered_list', { count: 3 }), '1. lava\n2. ash\n3. gas', true, 'items 1 to 3'],
  [c('numbered_list', { count: 3 }), '1. lava\n2. ash', false, 'two items'],
  [c('numbered_list', { count: 3 }), '1. lava\n1. ash\n1. gas', false, 'three items all numbered 1'],
  [c('paragraph_count', { count: 2 }), 'Lava flows.\n\nAsh falls.', true, 'two paragraphs'],
  [c('paragraph_count', { count: 2 }), 'Lava flows.\nAsh falls.', false, 'two lines but one paragraph'],
  [c('paragraph_count', { count: 2 }), 'Lava.\n\nAsh.\n\nGas.', false, 'three paragraphs'],
  [c('placeholders', { count: 2 }), 'Dear [name], see you on [date].', true, 'two placeholders'],
  [c('placeholders', { count: 2 }), 'Dear [name], see you soon.', false, 'one placeholder'],
  [c('no_commas'), 'Lava flows and ash falls.', true, 'no comma'],
  [c('no_commas'), 'Lava flows, ash falls.', false, 'one comma'],
  [c('no_exclamation'), 'Lava flows.', true, 'no exclamation mark'],
  [c('no_exclamation'), 'Lava flows. Wow!', false, 'one exclamation mark'],
  [c('no_digits'), 'Twenty-one volcanoes erupted.', true, 'numbers spelled out'],
  [c('no_digits'), 'In 2021 one volcano erupted.', false, 'a year in digits'],
  [c('max_words', { max: 5 }), 'one two three four five', true, 'exactly the maximum'],
  [c('max_words', { max: 5 }), 'one two three four five six', false, 'one word over'],
  [c('min_words', { min: 5 }), 'one two three four five', true, 'exactly the minimum'],
  [c('min_words', { min: 5 }), 'one two three four', false, 'one word short'],
];

describe('constraint checkers', () => {
  for (const [constraint, response, pass, what] of cases) {
    it(`${constraint.type}: ${pass ? 'passes' : 'fails'} ${what}`, () => {
      const result = checkConstraint(constraint, response);
      expect(result.pass, result.reason).toBe(pass);
      expect(result.reason.length).toBeGreaterThan(0);
    });
  }

  it('has a passing and a failing case for every constraint type', () => {
    for (const type of constraintTypes) {
      const own = cases.filter(([constraint]) => constraint.type === type.type);
      expect(own.some(([, , pass]) => pass), type.type).toBe(true);
      expect(own.some(([, , pass]) => !pass), type.type).toBe(true);
    }
  });

  it('gives evidence when a forbidden word is found', () => {
    expect(checkConstraint(c('forbidden_word', { word: 'lava' }), 'Hot lava flows downhill.').evidence).toContain('lava');
  });
});

describe('constraint library', () => {
  it('has at least 20 constraint types', () => {
    expect(constraintTypes.length).toBeGreaterThanOrEqual(20);
  });

  it('keeps each rule in the exemplar it offers as an earlier assistant turn', () => {
    const rng = createRng(7);
    for (const type of constraintTypes) {
      for (let i = 0; i < 5; i++) {
        const params = type.draw(rng, { topicWords: ['lava', 'magma', 'ash', 'crater'], taken: new Set() });
        const result = type.check(type.exemplar(params), params);
        expect(result.pass, `${type.type} ${JSON.stringify(params)}: ${result.reason}`).toBe(true);
      }
    }
  });

  it('states each rule in several phrasings chosen by the RNG', () => {
    for (const type of constraintTypes) {
      const rng = createRng(11);
      const params = type.draw(rng, { topicWords: ['lava', 'magma', 'ash', 'crater'], taken: new Set() });
      const phrasings = new Set(Array.from({ length: 40 }, () => type.instruction(params, rng)));
      expect(phrasings.size, type.type).toBeGreaterThanOrEqual(2);
    }
  });

  it('draws different words for two constraints of one sample', () => {
    const ctx = { topicWords: ['lava', 'magma'], taken: new Set<string>() };
    const rng = createRng(3);
    const banned = constraintType('forbidden_word').draw(rng, ctx) as { word: string };
    const required = constraintType('include_keyword').aligned!.draw(rng, ctx) as { word: string };
    expect(banned.word).not.toBe(required.word);
  });

  it('never pairs two constraints that govern the same part of a response', () => {
    expect(compatible(constraintType('lowercase'), constraintType('uppercase'))).toBe(false);
    expect(compatible(constraintType('json_only'), constraintType('title'))).toBe(false);
    expect(compatible(constraintType('max_words'), constraintType('bullet_count'))).toBe(false);
    expect(compatible(constraintType('lowercase'), constraintType('include_keyword'))).toBe(true);
  });

  it('is symmetric about which constraints pair', () => {
    for (const a of constraintTypes) for (const b of constraintTypes) expect(compatible(a, b)).toBe(compatible(b, a));
  });

  it('rejects a constraint of an unknown type', () => {
    expect(constraintSchema.safeParse({ type: 'rhyme', params: {} }).success).toBe(false);
  });

  it('rejects params its type does not accept, naming the field', () => {
    const parsed = constraintSchema.safeParse({ type: 'bullet_count', params: { count: 'three' } });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0].path).toEqual(['params', 'count']);
  });
});

describe('checker rules added for the failures users found', () => {
  const check = (type: string, params: Record<string, unknown>, response: string) => checkConstraint({ type: type as any, params }, response).pass;

  it('reads full-width and other Unicode digits and punctuation', () => {
    expect(check('no_digits', {}, 'It took ２７ days.')).toBe(false);
    expect(check('no_commas', {}, 'Lava，ash')).toBe(false);
    expect(check('no_exclamation', {}, 'Wow！')).toBe(false);
  });

  it('sees a forbidden word spelled with its letters spaced apart, but not inside a longer word', () => {
    expect(check('forbidden_word', { word: 'lava' }, 'The l a v a glowed.')).toBe(false);
    expect(check('forbidden_word', { word: 'lava' }, 'The lavatory is nearby.')).toBe(true);
  });

  it('does not count a Markdown link as a placeholder', () => {
    expect(check('placeholders', { count: 1 }, 'Read [the guide](https://example.com).')).toBe(false);
    expect(check('placeholders', { count: 1 }, 'Dear [name],')).toBe(true);
  });

  it('ignores trailing emoji after the final sentence, but not a sign-off or a PS', () => {
    const phrase = 'Let me know if you have other questions.';
    expect(check('closing_phrase', { phrase }, `Bees. ${phrase} 🐝`)).toBe(true);
    expect(check('closing_phrase', { phrase }, `Bees. ${phrase}\nPS: bye`)).toBe(false);
    expect(check('end_question', {}, 'More? 🙂')).toBe(true);
    expect(check('end_question', {}, 'More?\n— Sam')).toBe(false);
  });
});
