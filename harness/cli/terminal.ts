// Text bound for a terminal: what servers, datasets and sample ids put in it must not drive the terminal; the width tables fit.

/**
 * Control characters (C0 but newline and tab, DEL, C1 — ESC and CSI among them) made visible as `\xNN`, so an ANSI or
 * OSC sequence in a server's error or a sample id cannot recolour, retitle, hide lines or write links on the
 * terminal. Printable text, newlines and tabs pass unchanged.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The terminal's width when stdout is one and nothing is written to a file (`--out`): tables fit it. Piped: undefined, the full table. */
export function terminalWidth(out?: string): number | undefined {
  return !out && process.stdout.isTTY && process.stdout.columns > 0 ? process.stdout.columns : undefined;
}
