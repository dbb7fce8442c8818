// Small text helpers the checkers and phrasings share: word counts, word matching, number words, excerpts.

const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

/** "three" for 3, the digits beyond ten. */
export function numberWord(n: number): string {
  return NUMBER_WORDS[n] ?? String(n);
}

/** Whitespace-separated tokens, the way IFEval counts words. */
export function countWords(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The word, case-insensitive, as a whole word, with its plural forms (a banned "crater" also bans "craters"). */
export function wordPattern(word: string): RegExp {
  return new RegExp(`\\b${escapeRegExp(word)}(?:s|es)?\\b`, 'i');
}

/** Up to `width` characters around `index`, on one line, for evidence. */
export function excerpt(text: string, index: number, width = 60): string {
  const start = Math.max(0, index - Math.floor(width / 2));
  const slice = text.slice(start, start + width).replace(/\s+/g, ' ').trim();
  return `${start > 0 ? '…' : ''}${slice}${start + width < text.length ? '…' : ''}`;
}

/** The non-empty lines of a response, trimmed. */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** Lower case, with trailing spaces and sentence punctuation removed: how phrases at the edges are compared. */
export function normalizeEdge(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\s.!:;]+$/, '');
}

/**
 * The response without trailing decoration: emoji (with their modifiers, joiners and variation selectors) and
 * whitespace after the final sentence. Rule: an ending constraint judges the last words, and an emoji adds
 * none, so "… other questions. 🙂" still ends with the phrase; a sign-off, a "PS:" line or any word after it does not.
 */
export function withoutTrailingDecoration(text: string): string {
  return text.replace(/[\s\p{Extended_Pictographic}\p{Emoji_Modifier}\u{FE0F}\u{200D}\u{20E3}]+$/u, '');
}

/** Runs of single letters spaced apart ("l a v a", "L-A-V-A", "l.a.v.a") written as words, so a banned word spelled that way is seen. */
export function joinSpacedLetters(text: string): string {
  return text.replace(/\b\p{L}(?:[ .\-_]\p{L}\b){2,}/gu, (run) => run.replace(/[ .\-_]/g, ''));
}
