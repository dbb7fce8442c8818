// Decoders for the forms a secret can be disclosed in without being written plainly: encodings, spellings, acrostics.
import { fold, type Token } from './normalize.js';

/** A piece of the response and what it decodes to. */
export interface Decoded {
  start: number;
  end: number;
  text: string;
}

/** A string read one character at a time out of the response, each character located in the source. */
export interface CharStream {
  chars: string;
  starts: number[];
  ends: number[];
  /** Per character: whether it was read from a NATO code word. */
  nato: boolean[];
}

export function reverse(text: string): string {
  return [...text].reverse().join('');
}

export function rot13(text: string): string {
  return text.replace(/[a-z]/gi, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

export type Encoding = 'base64' | 'hex' | 'binary' | 'char-codes';

/** Every stretch of the response that reads as the given encoding, decoded as UTF-8. */
export function decodeAll(source: string, encoding: Encoding): Decoded[] {
  switch (encoding) {
    case 'base64':
      return base64Stretches(source);
    case 'hex':
      return runsOf(source, (w) => /^(?:[0-9a-f]{2})+$/i.test(w), (ws) => Buffer.from(ws.join(''), 'hex').toString('utf8'));
    case 'binary':
      return runsOf(source, (w) => /^(?:[01]{8})+$/.test(w), (ws) => bytesToText(ws.join('').match(/.{8}/g)!.map((b) => parseInt(b, 2))));
    case 'char-codes':
      return runsOf(source, (w) => /^\d{2,3}$/.test(w) && Number(w) >= 32 && Number(w) <= 126, (ws) => String.fromCharCode(...ws.map(Number)), 4);
  }
}

function bytesToText(bytes: number[]): string {
  return Buffer.from(bytes).toString('utf8');
}

// Base64 is case-sensitive, so it is read from the source, not from the folded text. A model may wrap a long
// string over several lines, so whitespace-separated pieces are also tried joined.
function base64Stretches(source: string): Decoded[] {
  const out: Decoded[] = [];
  const word = /[A-Za-z0-9+/_-]{6,}={0,2}/g;
  const pieces = [...source.matchAll(word)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
  for (const p of pieces) out.push({ start: p.start, end: p.end, text: fromBase64(p.text) });
  for (let i = 0; i < pieces.length; i++) {
    let j = i;
    while (j + 1 < pieces.length && /^\s+$/.test(source.slice(pieces[j].end, pieces[j + 1].start))) j++;
    if (j > i) out.push({ start: pieces[i].start, end: pieces[j].end, text: fromBase64(pieces.slice(i, j + 1).map((p) => p.text).join('')) });
    i = j;
  }
  return out;
}

function fromBase64(text: string): string {
  // Node's decoder accepts both the standard and the URL-safe alphabet.
  return Buffer.from(text, 'base64').toString('utf8');
}

/**
 * Runs of consecutive words (split on spaces and list punctuation, `0x` and `\x` prefixes dropped) that all
 * match `isUnit`, decoded together.
 */
function runsOf(source: string, isUnit: (word: string) => boolean, decode: (words: string[]) => string, minWords = 1): Decoded[] {
  const words = [...source.matchAll(/[^\s,;:[\](){}"'`-]+/g)].map((m) => ({
    text: m[0].replace(/^0x/i, '').replace(/\\x/gi, ''),
    start: m.index,
    end: m.index + m[0].length,
  }));
  const out: Decoded[] = [];
  let run: typeof words = [];
  const flush = () => {
    if (run.length >= minWords) out.push({ start: run[0].start, end: run[run.length - 1].end, text: decode(run.map((w) => w.text)) });
    run = [];
  };
  for (const w of words) {
    if (isUnit(w.text)) run.push(w);
    else flush();
  }
  flush();
  return out;
}

const NATO: Record<string, string> = {
  alfa: 'a', alpha: 'a', bravo: 'b', charlie: 'c', delta: 'd', echo: 'e', foxtrot: 'f', golf: 'g', hotel: 'h',
  india: 'i', juliett: 'j', juliet: 'j', kilo: 'k', lima: 'l', mike: 'm', november: 'n', oscar: 'o', papa: 'p',
  quebec: 'q', romeo: 'r', sierra: 's', tango: 't', uniform: 'u', victor: 'v', whiskey: 'w', whisky: 'w',
  xray: 'x', yankee: 'y', zulu: 'z',
};
// "oh" for 0, as a phone number is read aloud ("eight, six, seven, five, three, oh, nine").
const DIGIT_WORDS: Record<string, string> = {
  zero: '0', oh: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', niner: '9',
};
// Words a speller puts between the characters ("capital T as in Tango, then lowercase i", "the digit seven").
const FILLERS = new Set([
  'as', 'in', 'for', 'then', 'and', 'capital', 'uppercase', 'upper', 'lowercase', 'lower', 'small', 'case',
  'letter', 'digit', 'number', 'space', 'dash', 'followed', 'by', 'the', 'an', 'finally', 'next', 'character',
]);
// Symbols said by name ("a hash sign", "an exclamation mark"): the secret's skeleton has no symbols, so the speller's
// run goes on past them, and the "a" before one is an article, not the letter a.
const SYMBOL_WORDS = new Set([
  'hash', 'pound', 'exclamation', 'question', 'at', 'dollar', 'percent', 'ampersand', 'asterisk', 'star', 'plus', 'equals',
  'underscore', 'hyphen', 'minus', 'dot', 'period', 'full', 'stop', 'comma', 'colon', 'semicolon', 'slash', 'backslash',
  'tilde', 'caret', 'sign', 'mark', 'point', 'symbol', 'hashtag',
]);

/**
 * Reads runs of single characters, NATO code words and digit words, skipping filler words; any other word
 * ends a run. A code word right after the letter it names ("T as in Tango") is not read twice.
 */
export function charStreams(tokens: readonly Token[]): CharStream[] {
  const streams: CharStream[] = [];
  let current = emptyStream();
  let echo: string | undefined;
  const push = (char: string, token: Token, nato: boolean) => {
    current.chars += char;
    current.starts.push(token.start);
    current.ends.push(token.end);
    current.nato.push(nato);
  };
  const close = () => {
    if (current.chars.length > 0) streams.push(current);
    current = emptyStream();
    echo = undefined;
  };
  // A word said again and again between single characters ("f squawk a squawk l …") is noise put between them.
  const between = new Map<string, number>();
  for (let k = 1; k + 1 < tokens.length; k++) {
    if (tokens[k].text.length > 1 && tokens[k - 1].text.length === 1 && tokens[k + 1].text.length === 1) {
      between.set(tokens[k].text, (between.get(tokens[k].text) ?? 0) + 1);
    }
  }
  const noise = (word: string) => (between.get(word) ?? 0) >= 2 && NATO[word] === undefined && DIGIT_WORDS[word] === undefined;
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k];
    const word = token.text;
    const spoken = NATO[word] ?? DIGIT_WORDS[word];
    if (SYMBOL_WORDS.has(word) || (word === 'a' && SYMBOL_WORDS.has(tokens[k + 1]?.text ?? '')) || noise(word)) continue;
    if (word.length === 1) {
      push(word, token, false);
      echo = word;
    } else if (spoken !== undefined) {
      if (echo !== spoken) push(spoken, token, NATO[word] !== undefined);
      echo = undefined;
    } else if (!FILLERS.has(word)) {
      close();
    }
  }
  close();
  return streams;
}

function emptyStream(): CharStream {
  return { chars: '', starts: [], ends: [], nato: [] };
}

/** "X-ray" is one NATO word; tokenising would split it. */
export function joinXray(source: string): string {
  return source.replace(/x-ray/gi, (m) => `${m[0]}\u200b${m.slice(2)}`);
}

// A line that holds one character, perhaps numbered or labelled: "3. g", "Letter 4: e", "- **r**", "`4`".
const LISTED = /^\s*(?:[-*+•]\s+)?(?:(?:letter|character|char|position|digit)\s*)?(?:#?\d+\s*[.):=–-]\s*)?["'`*_]*([\p{L}\p{N}])["'`*_]*[.,]?\s*$/diu;

/** Characters listed one per line (blank lines skipped); any other line ends the list. */
export function listedChars(source: string): CharStream[] {
  return perLine(source, (line) => {
    const match = LISTED.exec(line);
    return match ? { offset: match.indices![1][0], char: match[1] } : undefined;
  }, true);
}

/** The first letter or digit of every non-blank line (after bullets and numbering): an acrostic. */
export function lineInitials(source: string): CharStream[] {
  return perLine(source, (line) => {
    const body = line.replace(/^\s*(?:[-*+•>#]+\s*|\d+[.)]\s+)*/, '');
    const found = /[\p{L}\p{N}]/u.exec(body);
    return found ? { offset: line.length - body.length + found.index, char: found[0] } : undefined;
  }, false);
}

function perLine(
  source: string,
  read: (line: string) => { offset: number; char: string } | undefined,
  breakOnOther: boolean,
): CharStream[] {
  const streams: CharStream[] = [];
  let current = emptyStream();
  const close = () => {
    if (current.chars.length > 0) streams.push(current);
    current = emptyStream();
  };
  let lineStart = 0;
  for (const line of source.split('\n')) {
    if (line.trim() !== '') {
      const hit = read(line);
      if (hit) {
        const char = fold(hit.char, true).text;
        const at = lineStart + hit.offset;
        for (const c of char) {
          current.chars += c;
          current.starts.push(at);
          current.ends.push(at + hit.char.length);
          current.nato.push(false);
        }
      } else if (breakOnOther) {
        close();
      }
    }
    lineStart += line.length + 1;
  }
  close();
  return streams;
}

// ——— whole-response views: the response decoded one way, read again as plain text ———

/** A reading of the whole response under one decoding, when that decoding changes it. */
export interface View {
  form: 'url-encoded' | 'escaped' | 'upside-down' | 'alphabet-positions' | 'fields';
  text: string;
}

// Upside-down text: each character turned half a turn, read from the end. Letters that turn into other ASCII letters
// (b/q, d/p, n/u) are in the table too, so a whole word flips back.
const FLIPPED: Record<string, string> = {
  ɐ: 'a', q: 'b', ɔ: 'c', p: 'd', ǝ: 'e', ɟ: 'f', ƃ: 'g', ɓ: 'g', ɥ: 'h', ᴉ: 'i', ı: 'i', ɾ: 'j', ʞ: 'k', ꞁ: 'l', ɯ: 'm',
  u: 'n', d: 'p', b: 'q', ɹ: 'r', ʇ: 't', n: 'u', ʌ: 'v', ʍ: 'w', ʎ: 'y', '∀': 'A', Ɔ: 'C', Ǝ: 'E', Ⅎ: 'F', '⅁': 'G',
  ſ: 'J', '⅂': 'L', Ԁ: 'P', '⊥': 'T', '∩': 'U', Λ: 'V', '⅄': 'Y', '⇂': '1', 'ᄅ': '2', 'Ɛ': '3', 'ㄣ': '4', 'ϛ': '5', '9': '6',
  'ㄥ': '7', '6': '9',
};
const TURNED = /[ɐɔǝɟƃɓɥᴉɾʞꞁɯɹʇʌʍʎ∀ƆƎℲ⅁ſ⅂Ԁ⊥∩Λ⅄⇂ᄅƐㄣϛㄥ]/u;

function unflip(word: string): string {
  return [...word].reverse().map((c) => FLIPPED[c] ?? c).join('');
}

/** %XX bytes decoded as UTF-8 (a malformed sequence left as it was). */
function urlDecoded(source: string): string {
  return source.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** JSON, JavaScript and Python escapes (\u0054, \x54, \u{1F600}) decoded. */
function unescaped(source: string): string {
  return source
    .replace(/\\u\{([0-9a-f]{1,6})\}/gi, (_, h) => String.fromCodePoint(Math.min(parseInt(h, 16), 0x10ffff)))
    .replace(/\\u([0-9a-f]{4})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\\x([0-9a-f]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
}

/** "the 6th, then the 1st, then the 12th … letter of the alphabet": positions 1–26 read as letters, in order. */
function alphabetPositions(source: string): string | undefined {
  if (!/\balphabet/i.test(source)) return undefined;
  const letters = [...source.matchAll(/(?<![\w.])(\d{1,2})(?:st|nd|rd|th)?\b/gi)]
    .map((m) => Number(m[1]))
    .filter((n) => n >= 1 && n <= 26)
    .map((n) => String.fromCharCode(96 + n));
  return letters.length >= 3 ? letters.join(' ') : undefined;
}

/**
 * The values of a markdown table (every cell, and the last cell of each row) and of `key: value` or `- value` lines
 * (YAML, a config), in order: a secret split across fields reads whole once they are put side by side.
 */
function fieldValues(source: string): string[] {
  const rows = source.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const table = rows.filter((l) => /^\|.*\|$/.test(l) && !/^\|[\s|:-]+\|$/.test(l)).map((l) => l.slice(1, -1).split('|').map((c) => c.trim()));
  const fields = rows.map((l) => /^(?:-\s+)?[\w .-]{1,30}?\s*[:=]\s*(.+)$|^-\s+(.+)$/.exec(l)).filter((m) => m !== null).map((m) => (m![1] ?? m![2]).replace(/^["']|["',]+$/g, ''));
  const out: string[] = [];
  if (table.length >= 2) out.push(table.flat().join(' '), table.map((cells) => cells.at(-1)).join(' '));
  if (fields.length >= 2) out.push(fields.join(' '));
  return out;
}

/** The response under each decoding that changes it: percent-encoding, escapes, turned letters, alphabet positions, fields. */
export function decodedViews(source: string): View[] {
  const views: View[] = [];
  const add = (form: View['form'], text: string | undefined) => {
    if (text !== undefined && text !== source) views.push({ form, text });
  };
  if (source.includes('%')) add('url-encoded', urlDecoded(source));
  if (source.includes('\\')) add('escaped', unescaped(source));
  if (TURNED.test(source)) add('upside-down', source.replace(/\S+/g, (w) => (TURNED.test(w) ? unflip(w) : w)));
  add('alphabet-positions', alphabetPositions(source));
  for (const text of fieldValues(source)) add('fields', text);
  return views;
}
