// Capped capture of a child's stdout or stderr: keeps the first N bytes, counts the rest, cuts on a UTF-8 boundary.
import { Writable } from 'node:stream';

export class CappedOutput {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  /** Every byte received, kept or not. */
  seen = 0;
  truncated = false;

  constructor(
    private readonly cap: number,
    private readonly onData?: () => void,
  ) {}

  push(chunk: Buffer): void {
    this.seen += chunk.length;
    const room = this.cap - this.kept;
    if (chunk.length > room) this.truncated = true;
    if (room > 0) {
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      this.chunks.push(Buffer.from(part));
      this.kept += part.length;
    }
    this.onData?.();
  }

  writable(): Writable {
    return new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        this.push(chunk);
        callback();
      },
    });
  }

  text(): string {
    let bytes = Buffer.concat(this.chunks);
    if (this.truncated) bytes = bytes.subarray(0, utf8Boundary(bytes));
    return bytes.toString('utf8');
  }
}

/** Length of the longest prefix that does not end inside a multi-byte UTF-8 character. */
function utf8Boundary(bytes: Buffer): number {
  const end = bytes.length;
  let back = 0;
  while (back < 4 && end - back - 1 >= 0 && (bytes[end - back - 1] & 0xc0) === 0x80) back++;
  const leadIndex = end - back - 1;
  if (leadIndex < 0) return end;
  const lead = bytes[leadIndex];
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return back + 1 < need ? leadIndex : end;
}
