// printable: ANSI and OSC sequences from servers and sample ids are shown, never obeyed.
import { describe, expect, it } from 'vitest';
import { printable } from '../../../harness/cli/terminal.js';

describe('printable', () => {
  it('shows ESC-based sequences (colour, OSC title and hyperlink) as text', () => {
    expect(printable('\u001b[31mred\u001b[0m')).toBe('\\x1b[31mred\\x1b[0m');
    expect(printable('id\u001b]0;pwned\u0007')).toBe('id\\x1b]0;pwned\\x07');
    expect(printable('\u001b]8;;http://x\u001b\\link')).toBe('\\x1b]8;;http://x\\x1b\\link');
  });

  it('shows C1 controls (CSI 0x9b) and DEL, carriage return and backspace too', () => {
    expect(printable('a\u009b2Jb\u007f\r\b')).toBe('a\\x9b2Jb\\x7f\\x0d\\x08');
  });

  it('leaves newlines, tabs and printable Unicode alone', () => {
    const text = 'run\tstatus\ncafé ✓ 日本\n';
    expect(printable(text)).toBe(text);
  });
});
