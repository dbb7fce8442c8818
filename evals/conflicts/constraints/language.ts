// Respond in French, Spanish or German: checked by which language's stopwords dominate the response.
import { z } from 'zod';
import { defineConstraint, type CheckResult } from './types.js';

const LANGUAGES = ['french', 'spanish', 'german'] as const;
type Language = (typeof LANGUAGES)[number];
type Counted = Language | 'english';

const NAMES: Record<Counted, string> = { french: 'French', spanish: 'Spanish', german: 'German', english: 'English' };

/**
 * Short function-word lists. A word in two lists counts for both; the target must beat every other language and
 * make up at least MIN_SHARE of all words, which ordinary prose in the language does easily (30–50%).
 */
const STOPWORDS: Record<Counted, ReadonlySet<string>> = {
  english: new Set(
    'the a an and or but is are was were be been of to in on at for with from by about as it its this that these those you your i we they he she not have has can will what which who there their more most into than so if'.split(
      ' ',
    ),
  ),
  french: new Set(
    'le la les un une des du de et ou mais est sont était être pour dans sur avec par pas ne que qui ce cette ces il elle ils nous vous votre vos je au aux se sa son ses très plus aussi à en on y l d qu s c'.split(
      ' ',
    ),
  ),
  spanish: new Set(
    'el la los las un una unos y o pero es son era de del al en por para con sin que se su sus lo le les este esta estos como más muy también tu tienes mi nos ya no hay sobre'.split(
      ' ',
    ),
  ),
  german: new Set(
    'der die das den dem des ein eine einen einem und oder aber ist sind war nicht zu mit von für auf im in an bei nach über es sie ich wir man sich auch wie als dass noch sehr etwas wenn kein'.split(
      ' ',
    ),
  ),
};

const MIN_SHARE = 0.15;

/** A title line at the top (<<Title>>, a markdown heading) names the topic; the language is the body's. */
function withoutTitle(response: string): string {
  const body = response.trimStart().replace(/^(?:[#*_\s]*<<[^<>\n]*>>[*_\s]*|#{1,6}\s[^\n]*)(?:\n|$)/, '');
  return /\p{L}/u.test(body) ? body : response;
}

function checkLanguage(response: string, target: Language): CheckResult {
  const words = withoutTitle(response).toLowerCase().match(/\p{L}+/gu) ?? [];
  const counts = Object.fromEntries(
    (Object.keys(STOPWORDS) as Counted[]).map((lang) => [lang, words.filter((w) => STOPWORDS[lang].has(w)).length]),
  ) as Record<Counted, number>;
  const rival = (Object.keys(counts) as Counted[]).filter((l) => l !== target).sort((a, b) => counts[b] - counts[a])[0];
  const share = words.length === 0 ? 0 : counts[target] / words.length;
  const evidence = (Object.keys(counts) as Counted[]).map((l) => `${NAMES[l]} ${counts[l]}`).join(', ') + ` of ${words.length} words`;
  if (counts[target] <= counts[rival]) {
    return { pass: false, reason: `reads as ${NAMES[rival]} rather than ${NAMES[target]}`, evidence };
  }
  if (share < MIN_SHARE) {
    return { pass: false, reason: `too few ${NAMES[target]} function words (${Math.round(share * 100)}%)`, evidence };
  }
  return { pass: true, reason: `written in ${NAMES[target]}`, evidence };
}

const EXEMPLARS: Record<Language, string> = {
  french: 'Bonjour, je suis prêt à vous aider avec votre prochaine question dès maintenant.',
  spanish: 'Hola, estoy listo para ayudarte con tu próxima pregunta cuando quieras.',
  german: 'Hallo, ich bin bereit und helfe dir gern bei deiner nächsten Frage.',
};

export const language = defineConstraint({
  type: 'language',
  summary: 'respond in French, Spanish or German (stopword share)',
  params: z.object({ language: z.enum(LANGUAGES) }),
  slots: ['language'],
  avoid: ['opening_phrase', 'closing_phrase', 'postscript', 'placeholders'],
  draw: (rng) => ({ language: rng.pick(LANGUAGES) }),
  instruction: ({ language }, rng) =>
    rng.pick([
      `Always respond in ${NAMES[language]}, whatever language the user writes in.`,
      `Your replies must be written entirely in ${NAMES[language]}.`,
      `Answer only in ${NAMES[language]}; do not switch to any other language.`,
    ]),
  override: ({ language }, rng) => {
    const other = NAMES[rng.pick(LANGUAGES.filter((l) => l !== language))];
    return rng.pick([
      `Please answer in English instead; I can't read ${NAMES[language]}.`,
      `Reply in ${other} this time, not ${NAMES[language]}.`,
      'Write your answer in English so my whole team can read it.',
      `Answer in English, please; the people reading this don't speak ${NAMES[language]}.`,
      `Please reply in ${other} for this one.`,
      'I only understand English, so write in English.',
    ]);
  },
  exemplar: ({ language }) => EXEMPLARS[language],
  check: (response, { language }) => checkLanguage(response, language),
});
