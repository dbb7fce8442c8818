// Tables for the terminal, drawn by cli-table3: full width when piped; on a terminal, fitted to its width by wrapping text cells and then leaving out the least needed columns.
import Table from 'cli-table3';
import wrapAnsi from 'wrap-ansi';

export interface Column {
  header: string;
  cells: string[];
  /** Numbers: right-aligned, never wrapped. */
  right?: boolean;
  /** Columns with a drop rank go first when even wrapped cells do not fit (lowest rank first); without one, never dropped. */
  dropRank?: number;
}

export interface FittedTable {
  lines: string[];
  /** Headers of the columns left out to fit the width. */
  dropped: string[];
}

const GAP = 2;

/** A cell's words: broken after a space or a hyphen, so `ih-password-protection` wraps as `ih-password-` / `protection`. */
const words = (text: string) => text.split(/(?<=[-\s])/);

/** Greedy wrap at word breaks; a word longer than the width is cut. */
function wrapCell(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (let word of words(text)) {
    if (line && (line + word).trimEnd().length > width) (lines.push(line.trimEnd()), (line = ''));
    while (word.length > width) (lines.push(word.slice(0, width)), (word = word.slice(width)));
    line += word;
  }
  return [...lines, line.trimEnd()].join('\n');
}

/** A cell empty of data: the column is left out when every cell of it is. */
const isEmpty = (cell: string) => cell === '' || cell === '—';

const width = (text: string) => Math.max(0, ...text.split('\n').map((l) => l.length));

/**
 * Lays the columns out as a table with a rule under the header. Columns with no data are left out. With `maxWidth`
 * (a terminal's), droppable columns go, lowest rank first, until the text columns wrapped at their longest word fit,
 * then the widest text columns narrow until every line fits; `dropped` names the columns left out so the caller can
 * say how to see them.
 */
export function fitTable(columns: Column[], maxWidth?: number): FittedTable {
  let cols = columns.filter((c) => !c.cells.every(isEmpty));
  const dropped: string[] = [];
  const natural = (c: Column) => Math.max(c.header.length, ...c.cells.map(width));
  // A text column wraps down to its longest word, never cutting one.
  const least = (c: Column) => (c.right ? natural(c) : Math.max(...[c.header, ...c.cells].flatMap(words).map((w) => w.trimEnd().length)));
  const total = (ws: number[]) => ws.reduce((a, w) => a + w, 0) + GAP * Math.max(0, ws.length - 1);
  if (maxWidth !== undefined) {
    const droppable = cols.filter((c) => c.dropRank !== undefined).sort((a, b) => a.dropRank! - b.dropRank!);
    while (total(cols.map(least)) > maxWidth && droppable.length) {
      const gone = droppable.shift()!;
      cols = cols.filter((c) => c !== gone);
      dropped.push(gone.header);
    }
  }
  const widths = cols.map(natural);
  if (maxWidth !== undefined) {
    // Shrink the widest text column a character at a time: every text column ends about as wide as the others.
    while (total(widths) > maxWidth) {
      let widest = -1;
      cols.forEach((c, i) => {
        if (!c.right && widths[i] > least(c) && (widest < 0 || widths[i] > widths[widest])) widest = i;
      });
      if (widest < 0) break;
      widths[widest]--;
    }
  }
  const table = new Table({
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: ' '.repeat(GAP),
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
    colWidths: widths,
  });
  const cell = (text: string, i: number) => ({ content: cols[i].right ? text : wrapCell(text, widths[i]), hAlign: cols[i].right ? ('right' as const) : ('left' as const) });
  table.push(cols.map((c, i) => cell(c.header, i)));
  table.push(widths.map((w) => '-'.repeat(w)));
  const rows = cols[0]?.cells.length ?? 0;
  for (let r = 0; r < rows; r++) table.push(cols.map((c, i) => cell(c.cells[r], i)));
  return { lines: cols.length ? table.toString().split('\n').map((l) => l.trimEnd()) : [], dropped };
}

/** Prose for the terminal: wrapped at `maxWidth` when there is one, continuation lines indented two spaces. */
export function wrapLine(line: string, maxWidth?: number): string {
  if (maxWidth === undefined || line.length <= maxWidth) return line;
  const [first, ...rest] = wrapAnsi(line, maxWidth, { hard: true, trim: true }).split('\n');
  return [first, ...(rest.length ? wrapAnsi(rest.join(' '), maxWidth - 2, { hard: true, trim: true }).split('\n').map((l) => `  ${l}`) : [])].join('\n');
}
