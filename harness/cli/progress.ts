// Progress on stderr: cli-progress bars on a TTY (the run, and each eval when several run), plain periodic lines otherwise; this session's work only, with a windowed rate and an ETA.
import cliProgress from 'cli-progress';
import type { Progress } from '../run.js';

/** The rate is measured over the last WINDOW_MS: a run's speed now, not its average since the start. */
export const WINDOW_MS = 10_000;

/** Items per second over the last WINDOW_MS, from (time, count) marks. */
export function windowedRate() {
  const marks: Array<[number, number]> = [];
  return {
    mark(now: number, count: number): number {
      marks.push([now, count]);
      while (marks.length > 2 && now - marks[1][0] >= WINDOW_MS) marks.shift();
      const [t0, c0] = marks[0];
      return now > t0 ? ((count - c0) * 1000) / (now - t0) : 0;
    },
  };
}

/** Seconds as a person reads an ETA: 45s, 3m05s, 2h07m; unknown while nothing has finished. */
export function etaText(remaining: number, rate: number): string {
  if (remaining <= 0) return '0s';
  if (!(rate > 0)) return '?';
  const s = Math.round(remaining / rate);
  if (s < 1) return '<1s';
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export interface ReporterOptions {
  stream?: NodeJS.WriteStream;
  now?: () => number;
}

export function progressReporter(label: string, { stream = process.stderr, now = Date.now }: ReporterOptions = {}) {
  const rate = windowedRate();
  const perEval = new Map<string, { done: number; errors: number; total: number; bar?: cliProgress.SingleBar }>();
  let multi: cliProgress.MultiBar | undefined;
  let overall: cliProgress.SingleBar | undefined;
  let lastLine = 0;
  let started = false;

  /** This session's counts: a resume's already-scored items are neither done now nor work left. */
  const session = (p: Progress) => ({ done: p.done - p.already + p.errors, total: p.total - p.already, errors: p.errors });
  const text = (p: Progress, perSecond: number, concurrency?: number) => {
    const s = session(p);
    const resumed = p.already > 0 ? ` (${p.already} done before this session)` : '';
    return `${label} ${s.done}/${s.total} done${resumed}, ${s.errors} errors, ${perSecond.toFixed(1)}/s, ETA ${etaText(s.total - s.done, perSecond)}` +
      (concurrency === undefined ? '' : `, ${concurrency} in flight at most`);
  };

  function start(p: Progress) {
    started = true;
    for (const [id, total] of Object.entries(p.byEval)) perEval.set(id, { done: 0, errors: 0, total });
    if (!stream.isTTY) return;
    multi = new cliProgress.MultiBar(
      { stream, format: '{bar} {name} {value}/{total} {stats}', barsize: 24, hideCursor: false, clearOnComplete: false, fps: 10, forceRedraw: true, linewrap: false, autopadding: true },
      cliProgress.Presets.shades_classic,
    );
    overall = multi.create(session(p).total, 0, { name: label, stats: '' });
    if (perEval.size > 1) for (const [id, e] of perEval) e.bar = multi.create(e.total, 0, { name: `  ${id}`, stats: '' });
  }

  return {
    /** `concurrency`: the requests allowed in flight now (the adaptive level). */
    update(p: Progress, concurrency?: number) {
      if (!started) start(p);
      const t = now();
      const s = session(p);
      const perSecond = rate.mark(t, s.done);
      const e = p.last && perEval.get(p.last.eval);
      if (e) (p.last!.status === 'error' ? e.errors++ : e.done++);
      if (multi && overall) {
        const stats = `${s.errors} errors  ${perSecond.toFixed(1)}/s  ETA ${etaText(s.total - s.done, perSecond)}` + (concurrency === undefined ? '' : `  ${concurrency} in flight at most`);
        overall.update(s.done, { stats });
        if (e?.bar) e.bar.update(e.done + e.errors, { stats: e.errors ? `${e.errors} errors` : '' });
        return;
      }
      if (t - lastLine >= 2000) {
        stream.write(text(p, perSecond, concurrency) + '\n');
        lastLine = t;
      }
    },
    end() {
      multi?.stop();
    },
  };
}
