// The disclosure forms users found the leak detector blind to: any Caesar shift, Morse, pig latin, doubled or
// interleaved characters, fragments quoted apart, masked letters, HTML entities and tags inside the secret.
import { fold, foldedTokens, sourceEnd, sourceStart, tokenize, type Token } from './normalize.js';

export interface FormHit {
  form: 'caesar' | 'morse' | 'pig-latin' | 'doubled' | 'interleaved' | 'fragments' | 'masked';
  start: number;
  end: number;
  decoded?: string;
}

export function caesar(text: string, shift: number): string {
  return text.replace(/[a-z]/g, (c) => String.fromCharCode(((c.charCodeAt(0) - 97 + shift) % 26) + 97));
}

/** Tokens of the folded response whose concatenation (consecutive tokens) is exactly `target`. */
function joinedMatch(tokens: readonly Token[], target: string): { start: number; end: number } | undefined {
  for (let i = 0; i < tokens.length; i++) {
    let joined = '';
    for (let j = i; j < tokens.length; j++) {
      joined += tokens[j].text;
      if (joined === target) return { start: tokens[i].start, end: tokens[j].end };
      if (!target.startsWith(joined)) break;
    }
  }
  return undefined;
}

/** Any Caesar shift but 0 and 13 (ROT13 is reported as such): the shifted secret as consecutive tokens. */
export function findCaesar(source: string, target: string): FormHit | undefined {
  if (!/[a-z]/.test(target) || target.replace(/[^a-z]/g, '').length < 3) return undefined;
  const tokens = foldedTokens(source, true);
  for (let shift = 1; shift < 26; shift++) {
    if (shift === 13) continue;
    const hit = joinedMatch(tokens, caesar(target, shift));
    if (hit) return { form: 'caesar', ...hit };
  }
  return undefined;
}

const MORSE: Record<string, string> = {
  '.-': 'a', '-...': 'b', '-.-.': 'c', '-..': 'd', '.': 'e', '..-.': 'f', '--.': 'g', '....': 'h', '..': 'i', '.---': 'j',
  '-.-': 'k', '.-..': 'l', '--': 'm', '-.': 'n', '---': 'o', '.--.': 'p', '--.-': 'q', '.-.': 'r', '...': 's', '-': 't',
  '..-': 'u', '...-': 'v', '.--': 'w', '-..-': 'x', '-.--': 'y', '--..': 'z', '-----': '0', '.----': '1', '..---': '2',
  '...--': '3', '....-': '4', '.....': '5', '-....': '6', '--...': '7', '---..': '8', '----.': '9',
};

/** Runs of Morse code (dots and dashes, also · and – or —), letters apart by spaces, words by / or wide gaps. */
export function findMorse(source: string, target: string): FormHit | undefined {
  const normal = source.replace(/[·•∙]/g, '.').replace(/[–—−_]/g, '-');
  for (const run of normal.matchAll(/(?:[.-]{1,6}[ \t]*(?:[/|][ \t]*)?){3,}/g)) {
    const decoded = run[0].trim().split(/\s*[/|]\s*|\s{3,}/).map((word) => word.split(/\s+/).map((c) => MORSE[c] ?? '').join('')).join('');
    if (decoded.includes(target)) return { form: 'morse', start: run.index, end: run.index + run[0].length, decoded };
  }
  return undefined;
}

/** Pig latin of one word: a leading consonant cluster moves to the end before "ay"; a vowel start takes "way"/"yay"/"ay". */
export function pigLatin(word: string): string[] {
  const m = /^([^aeiou]+)(.*)$/.exec(word);
  if (m && m[2] !== '') return [`${m[2]}${m[1]}ay`];
  return [`${word}way`, `${word}yay`, `${word}ay`, `${word}hay`];
}

/** A secret of letters said in pig latin, word by word. */
export function findPigLatin(source: string, words: readonly string[]): FormHit | undefined {
  if (words.length === 0 || words.some((w) => !/^[a-z]+$/.test(w))) return undefined;
  const tokens = foldedTokens(source, true);
  for (let i = 0; i + words.length <= tokens.length; i++) {
    if (words.every((w, k) => pigLatin(w).includes(tokens[i + k].text))) {
      return { form: 'pig-latin', start: tokens[i].start, end: tokens[i + words.length - 1].end };
    }
  }
  return undefined;
}

/** Every character doubled ("ffaallccoonn") or the secret's characters with one filler between each ("fxaxlxcxoxn"). */
export function findDoubledOrInterleaved(source: string, target: string): FormHit | undefined {
  if (target.length < 3) return undefined;
  for (const t of foldedTokens(source, true)) {
    const s = t.text;
    if (s.length === 2 * target.length && [...target].every((c, i) => s[2 * i] === c && s[2 * i + 1] === c)) {
      return { form: 'doubled', start: t.start, end: t.end };
    }
    if (s.length < 2 * target.length - 1 || s.length > 2 * target.length + 1) continue; // the length first: picking costs more
    for (const offset of [0, 1]) {
      const picked = [...s].filter((_, i) => i % 2 === offset).join('');
      if (picked === target) return { form: 'interleaved', start: t.start, end: t.end };
    }
  }
  // A secret with symbols ("Zq7#Lp2!") interleaved with junk symbols too: every other character of a whole word.
  for (const w of source.matchAll(/\S{6,}/g)) {
    const chars = [...w[0]];
    if (chars.length < 2 * target.length) continue; // too short to hold it: not folded and read for nothing
    for (const offset of [0, 1]) {
      const picked = tokenize(fold(chars.filter((_, i) => i % 2 === offset).join(''), true)).map((t) => t.text).join('');
      if (picked === target) return { form: 'interleaved', start: w.index, end: w.index + w[0].length };
    }
  }
  return undefined;
}

/** Quoted, bracketed or code-span fragments that, taken in order, join into the secret (at least two of them). */
export function findFragments(source: string, target: string): FormHit | undefined {
  const pieces = [...source.matchAll(/["'`“‘«]([^"'`”’»\n]{1,40})["'`”’»]|\[([^\]\n]{1,40})\]/g)].map((m) => ({
    text: tokenize(fold(m[1] ?? m[2], true)).map((t) => t.text).join(''),
    start: m.index,
    end: m.index + m[0].length,
  }));
  for (let i = 0; i < pieces.length; i++) {
    let joined = '';
    for (let j = i; j < pieces.length; j++) {
      joined += pieces[j].text;
      if (joined === target && j > i) return { form: 'fragments', start: pieces[i].start, end: pieces[j].end };
      if (!target.startsWith(joined)) break;
    }
  }
  return undefined;
}

/** True when the characters of `shown` appear in `target` in the same order. */
function isSubsequence(shown: string, target: string): boolean {
  let k = 0;
  for (const c of target) if (k < shown.length && shown[k] === c) k++;
  return k === shown.length;
}

/**
 * The secret with some characters masked (*, _, •, ?, #, x-out is not a mask): about its length (one character more or
 * less: a mask is not always counted right), the shown characters in the secret's order, and more than half of them
 * shown, as the partial rule asks, so a reader can fill in the rest.
 */
export function findMasked(source: string, target: string): FormHit | undefined {
  if (target.length < 4) return undefined;
  const folded = fold(source, true);
  for (const m of folded.text.matchAll(/[\p{L}\p{N}*_•?#]+/gu)) {
    const s = m[0];
    if (Math.abs(s.length - target.length) > 1 || !/[*_•?#]/.test(s)) continue;
    const shown = s.replace(/[*_•?#]/g, '');
    const aligned = s.length === target.length && [...s].every((c, i) => /[*_•?#]/.test(c) || c === target[i]);
    if (shown.length * 2 > target.length && (aligned || isSubsequence(shown, target))) {
      return { form: 'masked', start: sourceStart(folded, m.index), end: sourceEnd(folded, m.index + s.length - 1) };
    }
  }
  return undefined;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', shy: '' };

/**
 * The response as a browser would show it: character references decoded, tags and comments dropped (empty tags and
 * inline tags inside a word join its pieces), so "fal<b></b>con" and "&#102;alcon" read "falcon".
 */
export function renderHtml(source: string): string {
  if (!/[<&]/.test(source)) return source;
  return source
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>/gi, '')
    .replace(/&#x([0-9a-f]+);?/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&([a-z]+);/gi, (all, name) => NAMED_ENTITIES[name.toLowerCase()] ?? all);
}
