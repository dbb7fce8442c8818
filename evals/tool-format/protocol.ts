// The text protocol: `<tool_call>{json}</tool_call>` blocks in the model's reply, `<tool_result>` blocks in ours.

const CALL_OPEN = '<tool_call>';
const CALL_CLOSE = '</tool_call>';

/** One `<tool_call>` block as written: its JSON body, or the fact that it was never closed. */
export type TextBlock = { raw: string; body: string } | { raw: string; unclosed: true };

/**
 * Every `<tool_call>` block of a reply, in order. A block opened and never closed counts too: a model that
 * forgets the closing tag made a call in the wrong format, not a final answer.
 */
export function parseTextCalls(content: string): TextBlock[] {
  const blocks: TextBlock[] = [];
  let from = 0;
  for (;;) {
    const open = content.indexOf(CALL_OPEN, from);
    if (open < 0) return blocks;
    const start = open + CALL_OPEN.length;
    const close = content.indexOf(CALL_CLOSE, start);
    if (close < 0) {
      blocks.push({ raw: content.slice(open), unclosed: true });
      return blocks;
    }
    blocks.push({ raw: content.slice(open, close + CALL_CLOSE.length), body: content.slice(start, close).trim() });
    from = close + CALL_CLOSE.length;
  }
}

/** The user message that answers one text-protocol turn: one `<tool_result>` block per call, in call order. */
export function toolResultMessage(results: readonly string[]): string {
  return results.map((r) => `<tool_result>\n${r}\n</tool_result>`).join('\n');
}
