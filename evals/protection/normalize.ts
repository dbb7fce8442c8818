// Text folding for the leak detector: case, look-alike and zero-width characters, with a map back to the source.

/**
 * A folded text and, for each of its UTF-16 units, the span of the source it came from (`sourceStart`, `sourceEnd`);
 * without `from` and `to`, the text is ASCII and unit i came from unit i (ASCII folds one unit for one).
 */
export interface Folded {
  text: string;
  from?: number[];
  to?: number[];
}

/** Where in the source the folded unit `i` begins. */
export function sourceStart(folded: Folded, i: number): number {
  return folded.from ? folded.from[i] : i;
}

/** Where in the source the folded unit `i` ends. */
export function sourceEnd(folded: Folded, i: number): number {
  return folded.to ? folded.to[i] : i + 1;
}

/** A run of letters and digits in a folded text, located in the source. */
export interface Token {
  text: string;
  start: number;
  end: number;
}

const ASCII = /^[\x00-\x7f]*$/;

// Zero-width and invisible formatting characters a model (or an attacker) can slip between letters.
const INVISIBLE = /^[\u00ad\u034f\u180e\u200b-\u200f\u2060-\u2064\ufeff]$/u;

// Letters of other scripts that render like Latin ones. Uppercase and lowercase are listed apart because
// they look different (Greek Η looks like H, η like n). Full-width and mathematical forms fold through NFKD.
const LOOKALIKES: Record<string, string> = {
  // Cyrillic
  А: 'a', В: 'b', Е: 'e', Ё: 'e', К: 'k', М: 'm', Н: 'h', О: 'o', Р: 'p', С: 'c', Т: 't', У: 'y', Х: 'x',
  Ѕ: 's', І: 'i', Ј: 'j', Ԛ: 'q', Ԝ: 'w',
  а: 'a', е: 'e', ё: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', ѕ: 's', і: 'i', ї: 'i', ј: 'j',
  ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l', к: 'k', м: 'm', т: 't', в: 'b', н: 'h',
  // Greek
  Α: 'a', Β: 'b', Ε: 'e', Ζ: 'z', Η: 'h', Ι: 'i', Κ: 'k', Μ: 'm', Ν: 'n', Ο: 'o', Ρ: 'p', Τ: 't', Υ: 'y', Χ: 'x',
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w', γ: 'y',
  // Latin variants without a decomposition
  ı: 'i', ȷ: 'j', ɡ: 'g', ℓ: 'l', ø: 'o', Ø: 'o', đ: 'd', Đ: 'd', ħ: 'h', ł: 'l', Ł: 'l',
};

/**
 * `lookalikes: false` only lowers the case (what a reader would call the plain text); `true` also folds
 * compatibility forms (full-width, mathematical, circled), strips accents and invisible characters, and maps
 * Cyrillic and Greek look-alikes to Latin letters.
 */
export function fold(source: string, lookalikes: boolean): Folded {
  // ASCII has no look-alikes, marks or invisible characters: it folds to its lower case, one unit for one (so no
  // spans are kept). Most responses are ASCII, and folding them character by character was most of a protection
  // grade's CPU.
  if (ASCII.test(source)) return { text: source.toLowerCase() };
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  let index = 0;
  for (const char of source) {
    const mapped = lookalikes ? foldLookalike(char) : char.toLowerCase();
    for (let k = 0; k < mapped.length; k++) {
      text += mapped[k];
      from.push(index);
      to.push(index + char.length);
    }
    index += char.length;
  }
  return { text, from, to };
}

function foldLookalike(char: string): string {
  // An ASCII character has no look-alike, mark or decomposition: the common case in a text that is not all ASCII.
  if (char.charCodeAt(0) < 0x80) return char.toLowerCase();
  if (INVISIBLE.test(char)) return '';
  let out = '';
  for (const part of char.normalize('NFKD').replace(/\p{M}/gu, '')) {
    const lower = part.toLowerCase();
    out += LOOKALIKES[part] ?? LOOKALIKES[lower] ?? lower;
  }
  return out;
}

// Digits and symbols that stand for letters in leetspeak. 1 reads as i or l, so it has two spellings.
const LEET: Record<string, string> = { '0': 'o', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '@': 'a', $: 's' };

/** The leetspeak readings of a folded text (one per reading of 1), same length and spans. */
export function leetReadings(folded: Folded): Folded[] {
  return ['i', 'l'].map((one) => ({
    ...folded,
    text: folded.text.replace(/[0-9@$]/g, (c) => (c === '1' ? one : (LEET[c] ?? c))),
  }));
}

const WORD = /[\p{L}\p{N}]+/gu;

export function tokenize(folded: Folded): Token[] {
  if (!folded.from) return asciiTokens(folded.text);
  const tokens: Token[] = [];
  // exec on one shared pattern, to the end before returning: matchAll would build a new RegExp for every text.
  WORD.lastIndex = 0;
  for (let match: RegExpExecArray | null; (match = WORD.exec(folded.text)); ) {
    const first = match.index;
    tokens.push({ text: match[0], start: sourceStart(folded, first), end: sourceEnd(folded, first + match[0].length - 1) });
  }
  return tokens;
}

/**
 * The runs of letters and digits of an ASCII text (what the pattern finds there), read by character code: a match
 * object per token was most of what a protection grade allocated.
 */
function asciiTokens(text: string): Token[] {
  const tokens: Token[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0;
    const inWord = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
    if (inWord && start < 0) start = i;
    else if (!inWord && start >= 0) {
      tokens.push({ text: text.slice(start, i), start, end: i });
      start = -1;
    }
  }
  return tokens;
}

/** `make(key)`, kept for the last `limit` keys of `memo` (read only: callers share what it returns). */
export function remember<T>(memo: Map<string, T>, key: string, limit: number, make: () => T): T {
  let value = memo.get(key);
  if (value !== undefined) return value;
  value = make();
  if (memo.size >= limit) memo.delete(memo.keys().next().value as string);
  memo.set(key, value);
  return value;
}

const foldedMemo = [new Map<string, readonly Token[]>(), new Map<string, readonly Token[]>()];

/**
 * `tokenize(fold(source, lookalikes))`, made once per text and shared (read only) by every detector of a grade: each
 * folded and tokenized the whole response again, most of a grade's CPU and of its garbage. The last 16 texts are kept.
 */
export function foldedTokens(source: string, lookalikes: boolean): readonly Token[] {
  return remember(foldedMemo[lookalikes ? 1 : 0], source, 16, () => tokenize(fold(source, lookalikes)));
}

/** The secret as a reader compares it: its words, folded the same way as the text, without separators. */
export function skeleton(secret: string, lookalikes: boolean): { words: string[]; joined: string } {
  const words = tokenize(fold(secret, lookalikes)).map((t) => t.text);
  return { words, joined: words.join('') };
}
