// Progress on stderr: a redrawn bar on a TTY, plain periodic lines otherwise.
import type { Progress } from '../run.js';

export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stderr) {
  const started = Date.now();
  let lastLine = 0;
  const line = (p: Progress, concurrency?: number) => {
    const secs = (Date.now() - started) / 1000;
    const rate = secs > 0 ? (p.done + p.errors) / secs : 0;
    return `${label} ${p.done + p.errors}/${p.total} done, ${p.errors} errors, ${rate.toFixed(1)}/s${concurrency === undefined ? '' : `, ${concurrency} in flight at most`}`;
  };
  return {
    /** `concurrency`: the requests allowed in flight now (the adaptive level). */
    update(p: Progress, concurrency?: number) {
      const now = Date.now();
      if (stream.isTTY) {
        if (now - lastLine < 100 && p.done + p.errors < p.total) return;
        const width = 30;
        const filled = p.total ? Math.round((width * (p.done + p.errors)) / p.total) : width;
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${line(p, concurrency)}`);
      } else if (now - lastLine >= 2000) {
        stream.write(line(p, concurrency) + '\n');
      } else return;
      lastLine = now;
    },
    end() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
