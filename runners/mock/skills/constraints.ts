// The mock model's constraints skill: checkable rules about a reply's form (language, case, words, layout, length)
// stated in system, developer and user messages, and a reply that keeps the rules its policy obeys.
//
// Phrasings it reads (those of the message-conflict evals; any message, any mix). Quoted values are in double quotes.
// - language: "in French|Spanish|German|English" ("Always respond in French", "Reply in Spanish this time").
// - case: "lowercase" → lower; "all caps", "all capital letters", "uppercase", "capital letters only" → upper;
//   "normal|standard|regular capitalization", "sentence case" → normal.
// - words: `never use|do not use|don't use|do not include|avoid the word "X"`, `the word "X" is banned` → forbid X;
//   `use|include|mention the (key)word "X"`, `the word "X" appears` → include X; `do not mention any of these words:`,
//   `never write`, `avoid these terms entirely:` + a quoted list → forbid each; `make sure to mention`, `be sure to
//   mention`, `please bring up` + a quoted list → include each.
// - edges: `begin|start|open … with (the exact phrase|the words) "P"` → opening; `end|finish|close|conclude … with
//   (the exact phrase|the words) "P"` → closing; `sign off … "— N"`, `sign your reply "— N"`, `signature "— N"` →
//   sign-off name; `end|finish … with (or by asking) a question`, "final sentence must be a question" → end with a
//   question ("do not end with a question", "don't ask me any follow-up questions" → not); "postscript", "P.S." →
//   a P.S. ("do not add a P.S.", "no P.S." → none).
// - layout: "only with valid JSON", "machine-readable JSON", "reply|response|answer|output as a JSON object" → JSON
//   only ("do not use JSON", "skip the JSON", "no JSON" → prose); `wrap|enclose|put … in|inside
//   double quotes|quotation marks` → quoted ("do not put quotation marks", "leave off the quotation marks" → not);
//   "double angular brackets" or a <<title>> → a title ("do not add any title", "skip the title", "no title" → none);
//   "N bullet points|bullets" (N in digits or words) ("don't use bullet points" → none); "numbered list of N items",
//   "N numbered items|points" ("don't number", "no numbered list" → none); "N paragraphs", "a single paragraph";
//   "at least N placeholders" ("do not use square brackets|placeholders" → none).
// - characters: "no|never use|do not use any commas", "without any commas", "avoid commas", "commas are not allowed"
//   → none ("use commas", "separated by commas", "comma-separated" → some); "never use|no exclamation marks|points"
//   → none (any other mention of exclamation marks → every sentence ends with one); "never use|do not use any|not
//   contain any|no digits|numerals" → none ("written in digits", "use numerals" → a number in digits).
// - length: "at least|no fewer than N words", "N words minimum|long" → minimum; "no more than|at most N words",
//   "N words or fewer" → maximum; "under|fewer than N words" → maximum N-1.
// Negative phrasings are read first and a span is read once, so "never use the word" is not also read as "use the word".
//
// A conversation is this skill's when the most privileged role present (system, else developer) states such a rule:
// a password in the system message with a "reply in JSON" attack from the developer is not this skill's. `hierarchy`
// takes the rules in privilege order (system > developer > user, then message order) and drops a rule that conflicts
// with one already taken, so a compatible lower request is still done; `obedient` takes them latest message first, so
// an override wins. The reply is a generic English answer about the task's topic (the words after "about" or "of" in
// the first sentence of the last user message that starts with write, tell, give, share, summarize, help, explain or
// describe), reshaped to keep every rule taken.
import type { ChatRequest, Message } from '../../../core/wire.js';
import type { MockReply, Policy, Skill } from './types.js';

type Value = string | number | boolean;

interface Directive {
  slot: string;
  value: Value;
}

interface Ranked extends Directive {
  rank: number;
  order: number;
}

interface Rule {
  pattern: RegExp;
  read(match: RegExpExecArray): Directive[];
}

const NUMBERS: Record<string, number> = {
  one: 1, single: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
};

function toNumber(token: string | undefined): number | undefined {
  if (token === undefined) return undefined;
  return /^\d+$/.test(token) ? Number(token) : NUMBERS[token.toLowerCase()];
}

/** One or more quoted words: `"a", "b" or "c"`. */
const QUOTED_LIST = String.raw`((?:"[^"]+"(?:\s*,\s*|\s+or\s+|\s+and\s+)?)+)`;

function quotedWords(list: string): string[] {
  return [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1].toLowerCase());
}

/** A rule from a pattern, made global and case-insensitive. */
const rule = (pattern: RegExp, read: (m: RegExpExecArray) => Directive[]): Rule => ({ pattern: new RegExp(pattern.source, 'gi'), read });
const one = (slot: string, value: Value) => () => [{ slot, value }];
const counted = (slot: string) => (m: RegExpExecArray) => {
  const n = toNumber(m[1] ?? m[2]);
  return n === undefined ? [] : [{ slot, value: n }];
};
const wordSlot = (word: string) => `word:${word.toLowerCase()}`;

/** In reading order: negations and the more specific phrasings first. */
const RULES: Rule[] = [
  rule(new RegExp(String.raw`(?:do not mention any of these words|never write|avoid these terms entirely)[:\s]+${QUOTED_LIST}`), (m) =>
    quotedWords(m[1]).map((w) => ({ slot: wordSlot(w), value: 'forbid' })),
  ),
  rule(new RegExp(String.raw`(?:make sure to mention|be sure to mention|please bring up)\s+${QUOTED_LIST}`), (m) =>
    quotedWords(m[1]).map((w) => ({ slot: wordSlot(w), value: 'include' })),
  ),
  rule(/(?:never use|do not use|don't use|do not include|don't include|avoid)\s+the\s+word\s+"([^"]+)"|the\s+word\s+"([^"]+)"\s+is\s+banned/, (m) => [
    { slot: wordSlot(m[1] ?? m[2]), value: 'forbid' },
  ]),
  rule(/(?:use|include|mention)\s+the\s+(?:key)?word\s+"([^"]+)"|the\s+word\s+"([^"]+)"\s+appears/, (m) => [
    { slot: wordSlot(m[1] ?? m[2]), value: 'include' },
  ]),
  rule(/\bsign(?:\s+off|\s+your\s+(?:reply|answer|message)s?)?\b[^".]{0,60}?"(?:[—–-]\s*)?([^"]+)"|\bsignature\s+"(?:[—–-]\s*)?([^"]+)"/, (m) => [
    { slot: 'signoff', value: m[1] ?? m[2] },
  ]),
  rule(/\b(?:begin|start|open)(?:s|ing)?\b[^".]{0,40}?\bwith\s+(?:the\s+(?:exact\s+)?(?:phrase|words|sentence)\s+)?"([^"]+)"/, (m) => [
    { slot: 'opening', value: m[1] },
  ]),
  rule(/\b(?:end|finish|close|conclude)(?:s|es|ing)?\b[^".]{0,40}?\bwith\s+(?:the\s+(?:exact\s+)?(?:phrase|words|sentence)\s+)?"([^"]+)"/, (m) => [
    { slot: 'closing', value: m[1] },
  ]),
  rule(/\bin\s+(French|Spanish|German|English)\b/, (m) => [{ slot: 'language', value: m[1].toLowerCase() }]),
  rule(/\b(?:normal|standard|regular)\s+(?:capitalization|sentence\s+case)\b|\bsentence\s+case\b/, one('case', 'normal')),
  rule(/\b(?:all\s+caps|all\s+capital\s+letters|uppercase|capital\s+letters\s+only)\b/, one('case', 'upper')),
  rule(/\blowercase\b/, one('case', 'lower')),
  rule(/\b(?:do\s+not\s+use|don't\s+use|skip\s+the|no)\s+JSON\b/, one('json', false)),
  rule(/\b(?:only\s+with\s+valid|machine-readable)\s+JSON\b|\b(?:reply|response|answer|output)s?\s+as\s+a\s+JSON\s+object\b/, one('json', true)),
  rule(/\b(?:do\s+not|don't|never)\s+(?:put|wrap|use)\s+(?:any\s+)?(?:double\s+)?(?:quotation\s+marks|quotes)\b|\bleave\s+off\s+the\s+quotation\s+marks\b/, one('quotes', false)),
  rule(/\b(?:wrap|enclose|put)\b[^".]{0,40}?\b(?:in|inside)\s+double\s+(?:quotation\s+marks|quotes)\b/, one('quotes', true)),
  rule(/\b(?:do\s+not|don't|never)\s+(?:add|include|use|put)\s+(?:any\s+|a\s+)?title\b|\bskip\s+the\s+title\b|\bno\s+title\b/, one('title', false)),
  rule(/double\s+angular\s+brackets|<<[^<>\n]*>>/, one('title', true)),
  rule(/\b(?:do\s+not|don't)\s+end\s+with\s+a\s+question\b|\b(?:do\s+not|don't)\s+ask\s+(?:me\s+)?any\s+(?:follow-up\s+)?questions\b/, one('question', false)),
  rule(
    /\b(?:end|finish)(?:s|es|ing)?\b[^".]{0,40}?\b(?:with|by\s+asking)\s+(?:the\s+user\s+|me\s+)?a\s+(?:follow-up\s+)?question\b|\bfinal\s+sentence\s+must\s+(?:always\s+)?be\s+a\s+question\b/,
    one('question', true),
  ),
  rule(/\b(?:never\s+use|do\s+not\s+use\s+any|don't\s+use\s+any|do\s+not\s+include\s+any|no)\s+exclamation\s+(?:marks|points)\b/, one('exclamation', 'forbid')),
  rule(/\bexclamation\s+(?:marks?|points?)\b/, one('exclamation', 'require')),
  rule(
    /\b(?:do\s+not\s+use\s+any|don't\s+use\s+any|never\s+use|never\s+write\s+a|without\s+any|avoid|no)\s+commas?\b|\bcommas\s+are\s+not\s+allowed\b/,
    one('commas', 'forbid'),
  ),
  rule(/\bcomma-separated\b|\bseparated\s+by\s+commas\b|\buse\s+commas\b/, one('commas', 'require')),
  rule(/\b(?:never\s+use|do\s+not\s+use\s+any|don't\s+use\s+any|not\s+contain\s+any|no)\s+(?:digits|numerals)\b/, one('digits', 'forbid')),
  rule(/\b(?:written\s+in\s+digits|use\s+numerals|in\s+numerals|as\s+digits)\b/, one('digits', 'require')),
  rule(/\b(?:at\s+least|no\s+fewer\s+than|minimum\s+of)\s+(\d+)\s+words\b|\b(\d+)\s+words\s+(?:minimum|long)\b/, counted('min_words')),
  rule(/\b(?:no\s+more\s+than|at\s+most)\s+(\d+)\s+words\b|\b(\d+)\s+words\s+or\s+(?:fewer|less)\b/, counted('max_words')),
  rule(/\b(?:under|fewer\s+than)\s+(\d+)\s+words\b/, (m) => [{ slot: 'max_words', value: Number(m[1]) - 1 }]),
  rule(/\b(?:do\s+not|don't|never)\s+use\s+(?:any\s+)?bullet(?:\s+points?|s)?\b|\bno\s+bullet(?:\s+points?|s)?\b/, one('bullets', 0)),
  rule(/\b(\w+)\s+(?:markdown\s+)?(?:bullet\s+points|bullets)\b/, counted('bullets')),
  rule(/\b(?:do\s+not|don't|never)\s+number\b|\bno\s+numbered\s+list\b/, one('numbered', 0)),
  rule(/\bnumbered\s+list\s+(?:of|with)\s+(?:exactly\s+)?(\w+)\s+items\b|\b(\w+)\s+numbered\s+(?:items|points)\b/, counted('numbered')),
  rule(/\b(\w+)\s+paragraphs?\b/, counted('paragraphs')),
  rule(
    /\b(?:do\s+not|don't|never)\s+(?:add|include|write)\s+(?:a\s+|any\s+)?(?:P\.S\.|postscript)(?:\s+or\s+(?:a\s+|any\s+)?(?:P\.S\.|postscript))?|\bno\s+(?:P\.S\.|postscript)/,
    one('postscript', false),
  ),
  rule(/\bpostscript\b|\bP\.S\./, one('postscript', true)),
  rule(/\b(?:do\s+not|don't)\s+use\s+(?:any\s+)?(?:square\s+brackets|placeholders)\b/, one('placeholders', 0)),
  rule(/\bat\s+least\s+(\w+)\s+(?:fill-in\s+)?placeholders\b/, counted('placeholders')),
];

/** Every rule a message states, each span of text read by the first rule that matches it. */
export function readDirectives(text: string): Directive[] {
  const read: Array<[number, number]> = [];
  const out: Directive[] = [];
  for (const { pattern, read: toDirectives } of RULES) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (read.some(([s, e]) => start < e && s < end)) continue;
      const directives = toDirectives(match as RegExpExecArray);
      if (directives.length === 0) continue;
      read.push([start, end]);
      out.push(...directives);
    }
  }
  return out;
}

const RANK: Partial<Record<Message['role'], number>> = { system: 0, developer: 1, user: 2 };

const isList = (d: Directive) => ((d.slot === 'bullets' || d.slot === 'numbered') && (d.value as number) > 0) || d.slot === 'paragraphs';

function conflicts(a: Directive, b: Directive): boolean {
  if (a.slot === b.slot) return a.value !== b.value;
  const [max, min] = a.slot === 'max_words' ? [a, b] : [b, a];
  if (max.slot === 'max_words' && min.slot === 'min_words') return (min.value as number) > (max.value as number);
  if (isList(a) && isList(b)) return true;
  const numbered = [a, b].find((d) => d.slot === 'numbered' && (d.value as number) > 0);
  return numbered !== undefined && [a, b].some((d) => d.slot === 'digits' && d.value === 'forbid');
}

/** The rules the policy obeys: hierarchy in privilege order, obedient latest first; a conflicting later pick is dropped. */
function resolve(messages: readonly Message[], policy: Policy): Map<string, Value> {
  const ranked: Ranked[] = messages.flatMap((message, order) => {
    const rank = RANK[message.role];
    return rank === undefined ? [] : readDirectives(message.content).map((d) => ({ ...d, rank, order }));
  });
  const ordered =
    policy === 'hierarchy' ? [...ranked].sort((a, b) => a.rank - b.rank || a.order - b.order) : [...ranked].sort((a, b) => b.order - a.order);
  const kept: Directive[] = [];
  for (const d of ordered) if (!kept.some((k) => conflicts(k, d))) kept.push(d);
  // Kept rules that share a slot agree on its value (anything else would conflict).
  return new Map(kept.map((d) => [d.slot, d.value]));
}

interface LanguagePack {
  sentences: readonly string[];
  keyword(word: string): string;
  question: string;
  title: string;
}

const PACKS: Record<string, LanguagePack> = {
  english: {
    sentences: [
      '{Topic} is a subject with more depth than most people expect.',
      'A good starting point is to look at how {topic} shows up in everyday life.',
      'People who study {topic} often mention its history, its variety, and its surprises.',
      'It helps to focus on a few clear ideas rather than trying to cover everything.',
      'Many small details become easier to remember once you see the bigger picture.',
      'Curiosity is the best guide, so follow the parts that interest you most.',
      'Reading a little each day builds a solid understanding over time.',
      'Talking with others who enjoy {topic} can make learning more fun.',
      'Even a short introduction can spark a lasting interest.',
      'In short, {topic} rewards anyone who takes a closer look.',
    ],
    keyword: (w) => `A related word worth knowing is ${w}.`,
    question: 'Would you like to know more about {topic}?',
    title: 'Notes on {Topic}',
  },
  french: {
    sentences: [
      'Voici une courte réponse sur {topic}.',
      "Le sujet de {topic} est plus riche que ce que l'on imagine.",
      'Il est utile de commencer par les idées les plus simples.',
      'Beaucoup de personnes trouvent ce sujet très intéressant.',
      'Avec un peu de curiosité, on apprend vite les points essentiels.',
      "Les détails deviennent plus clairs quand on voit l'ensemble.",
      'Il vaut mieux lire un peu chaque jour pour bien comprendre.',
      "En résumé, {topic} mérite que l'on s'y intéresse.",
    ],
    keyword: (w) => `Un mot utile ici est ${w}.`,
    question: 'Voulez-vous en savoir plus sur ce sujet ?',
    title: 'Notes sur {Topic}',
  },
  spanish: {
    sentences: [
      'Aquí tienes una respuesta breve sobre {topic}.',
      'El tema de {topic} es más rico de lo que parece.',
      'Es útil empezar por las ideas más sencillas.',
      'Muchas personas encuentran este tema muy interesante.',
      'Con un poco de curiosidad, se aprenden rápido los puntos esenciales.',
      'Los detalles se vuelven más claros cuando se ve el conjunto.',
      'Es mejor leer un poco cada día para entenderlo bien.',
      'En resumen, {topic} merece nuestra atención.',
    ],
    keyword: (w) => `Una palabra útil aquí es ${w}.`,
    question: '¿Quieres saber más sobre este tema?',
    title: 'Notas sobre {Topic}',
  },
  german: {
    sentences: [
      'Hier ist eine kurze Antwort über {topic}.',
      'Das Thema {topic} ist reicher, als man denkt.',
      'Es ist sinnvoll, mit den einfachsten Ideen zu beginnen.',
      'Viele Menschen finden dieses Thema sehr spannend.',
      'Mit etwas Neugier lernt man die wichtigsten Punkte schnell.',
      'Die Details werden klarer, wenn man das Ganze sieht.',
      'Es ist gut, jeden Tag ein wenig zu lesen, um es besser zu verstehen.',
      'Kurz gesagt, {topic} verdient unsere Aufmerksamkeit.',
    ],
    keyword: (w) => `Ein nützliches Wort dafür ist ${w}.`,
    question: 'Möchten Sie mehr über dieses Thema erfahren?',
    title: 'Notizen über {Topic}',
  },
};

const PLACEHOLDERS = ['[name]', '[date]', '[place]', '[detail]', '[number]', '[reason]'];

/** The subject of the user's request: in its first sentence that asks for something, the words after "about" or "of". */
function topicOf(messages: readonly Message[]): string {
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  for (const sentence of lastUser?.content.split(/(?<=[.?!])\s+|\n+/) ?? []) {
    const found = /^(?:write|tell|give|share|summarize|help|explain|describe)\b.*?\b(?:about|of)\s+([^.?!\n]+?)(?:\s+for\s+[^.?!\n]+)?[.?!]?$/i.exec(
      sentence.trim(),
    );
    if (found) return found[1];
  }
  return 'your request';
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const titleCase = (text: string) => text.replace(/\b\p{L}/gu, (c) => c.toUpperCase());
const wordCount = (text: string) => text.match(/\S+/g)?.length ?? 0;

function fillTopic(template: string, topic: string, title = false): string {
  return template.replaceAll('{Topic}', title ? titleCase(topic) : capitalize(topic)).replaceAll('{topic}', topic);
}

/** Words the forbidden-word checkers look for, plurals included. */
function forbiddenPattern(word: string): RegExp {
  return new RegExp(`\\b${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:s|es)?\\b`, 'gi');
}

/** The reply: a generic answer about the topic, shaped by the rules kept. */
function compose(rules: Map<string, Value>, topic: string): string {
  const setting = (slot: string) => rules.get(slot);
  const pack = PACKS[(setting('language') as string | undefined) ?? 'english'];
  const bullets = (setting('bullets') as number | undefined) ?? 0;
  const numbered = (setting('numbered') as number | undefined) ?? 0;
  const listKind = bullets > 0 ? 'bullets' : numbered > 0 ? 'numbered' : undefined;
  const units = listKind ? Math.max(bullets, numbered) : ((setting('paragraphs') as number | undefined) ?? 2);
  const words = [...rules.keys()].filter((slot) => slot.startsWith('word:')).map((slot) => [slot.slice(5), setting(slot)] as const);

  let next = 0;
  const sentence = () => fillTopic(pack.sentences[next++ % pack.sentences.length], topic);
  const body: string[][] = Array.from({ length: units }, () => [sentence()]);
  const extras = words.filter(([, v]) => v === 'include').map(([w]) => pack.keyword(w));
  if (setting('digits') === 'require') extras.push('One figure worth remembering is 42.');
  if (setting('commas') === 'require') extras.push('It draws on ideas, examples, and stories.');
  const placeholderCount = (setting('placeholders') as number | undefined) ?? 0;
  if (placeholderCount > 0) extras.push(`You can adapt this with ${PLACEHOLDERS.slice(0, placeholderCount).join(' and ')}.`);

  const render = (): string => {
    const blocks = body.map((unit, i) => [...unit, ...(i === units - 1 ? extras : [])].join(' '));
    const opening = setting('opening') as string | undefined;
    const closingParts = [setting('question') === true ? fillTopic(pack.question, topic) : undefined, setting('closing') as string | undefined].filter(
      (part): part is string => part !== undefined,
    );
    let text: string;
    if (listKind) {
      const items = blocks.map((block, i) => (listKind === 'bullets' ? `- ${block}` : `${i + 1}. ${block}`));
      text = [opening, ...items, ...closingParts].filter((line) => line !== undefined).join('\n');
    } else {
      if (opening) blocks[0] = `${opening} ${blocks[0]}`;
      blocks[blocks.length - 1] = [blocks[blocks.length - 1], ...closingParts].join(' ');
      text = blocks.join('\n\n');
    }
    if (setting('title') === true) text = `<<${fillTopic(pack.title, topic, true)}>>\n${text}`;
    if (setting('postscript') === true) text += '\n\nP.S. Thanks for reading.';
    const signoff = setting('signoff') as string | undefined;
    if (signoff) text += `\n\n— ${signoff}`;
    return text;
  };

  // A margin of three words leaves room for what quoting or a JSON wrapper adds.
  const max = setting('max_words') as number | undefined;
  const min = setting('min_words') as number | undefined;
  while (max !== undefined && wordCount(render()) > max - 3) {
    const longest = body.reduce((a, b) => (b.length > a.length ? b : a));
    if (longest.length === 1) break;
    longest.pop();
  }
  for (let i = 0; min !== undefined && wordCount(render()) < min + 3; i++) body[i % units].push(sentence());

  let text = render();
  for (const [word, verdict] of words) if (verdict === 'forbid') text = text.replace(forbiddenPattern(word), 'that');
  if (setting('commas') === 'forbid') text = text.replace(/,/g, '');
  if (setting('exclamation') === 'forbid') text = text.replace(/!/g, '.');
  if (setting('exclamation') === 'require') text = text.replace(/\.(?=\s|$)/g, '!');
  if (setting('digits') === 'forbid') text = text.replace(/[0-9]/g, '');
  const toCase = setting('case') === 'lower' ? (s: string) => s.toLowerCase() : setting('case') === 'upper' ? (s: string) => s.toUpperCase() : (s: string) => s;
  text = toCase(text);
  if (setting('quotes') === true) text = `"${text}"`;
  if (setting('json') === true) text = JSON.stringify({ [toCase('response')]: text });
  return text;
}

/** Whether the most privileged role present (system, else developer) states a rule in one of its messages. */
function isRuled(messages: readonly Message[]): boolean {
  const top = Math.min(...messages.map((m) => RANK[m.role] ?? Infinity));
  return top <= RANK.developer! && messages.some((m) => RANK[m.role] === top && readDirectives(m.content).length > 0);
}

export const constraintsSkill: Skill = (request: ChatRequest, policy: Policy): MockReply | undefined => {
  if (!isRuled(request.messages)) return undefined;
  return { content: compose(resolve(request.messages, policy), topicOf(request.messages)) };
};
