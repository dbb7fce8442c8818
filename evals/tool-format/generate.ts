// Generates the tool-format tasks: questions that need code (many of them tempt a shell), with the files they read
// and an exact answer. The phrasings below are the ones runners/mock/skills/tools.ts recognises: change both together.
import { createRng, type Rng } from '../../core/random.js';
import type { ManifestInfo } from '../../core/dataset-file.js';
import { sha256 } from '../../core/hash.js';

const SEED = 20250131;
const PER_FAMILY = 10;

interface Task {
  prompt: string;
  files: Record<string, string>;
  answer: string;
}

const stems = [
  'report', 'notes', 'backup', 'data', 'server', 'todo', 'readme', 'build', 'deploy', 'users', 'events', 'metrics',
  'draft', 'summary', 'config', 'archive', 'sample', 'output', 'input', 'errors', 'audit', 'inventory', 'budget', 'queue',
];
const extensions = ['log', 'txt', 'csv', 'md', 'py', 'json'];
const words = [
  'river', 'stone', 'lantern', 'quiet', 'harbor', 'maple', 'signal', 'copper', 'meadow', 'thunder', 'velvet', 'orbit',
  'candle', 'falcon', 'glacier', 'ember', 'willow', 'prism', 'summit', 'canyon', 'ferry', 'pepper', 'marble', 'breeze',
  'the', 'a', 'of', 'and', 'to', 'in', 'was', 'under', 'over', 'with',
];
const cities = ['Lisbon', 'Oslo', 'Nairobi', 'Lima', 'Osaka', 'Quebec', 'Tbilisi', 'Hanoi', 'Porto', 'Accra', 'Perth', 'Bergen', 'Cusco', 'Dakar'];
const teams = ['red', 'blue', 'green', 'amber', 'violet', 'teal', 'coral', 'indigo'];
const names = ['Ana', 'Bo', 'Chen', 'Dara', 'Eli', 'Femi', 'Gus', 'Hana', 'Ivo', 'Jun', 'Kai', 'Lea', 'Mia', 'Noor', 'Omar', 'Pia'];
const regions = ['north', 'south', 'east', 'west'];
const components = ['api', 'db', 'cache', 'auth', 'worker-1', 'worker-2', 'scheduler'];
const messages = [
  'request served in 42ms', 'cache miss for key user:17', 'user logged in', 'job finished', 'connection timeout after 30s',
  'retry 2 of 5', 'disk usage at 91%', 'connection reset by peer', 'config reloaded', 'queue length 12', 'slow query 1.8s',
  'upstream timeout, giving up', 'scheduled retry in 10s', 'disk quota nearly full', 'health check ok',
];

const lines = (rows: readonly string[]) => rows.map((r) => `${r}\n`).join('');
const pad = (n: number) => String(n).padStart(2, '0');

function timestamp(rng: Rng, i: number): string {
  return `2024-03-${pad(rng.int(1, 28))} ${pad(8 + (i % 12))}:${pad(rng.int(0, 59))}:${pad(rng.int(0, 59))}`;
}

/** Log lines; with `avoid`, none of them contains that text. */
function logLines(rng: Rng, count: number, avoid?: string): string[] {
  const levels = ['INFO', 'INFO', 'INFO', 'DEBUG', 'WARN', 'ERROR'];
  const pool = avoid === undefined ? messages : messages.filter((m) => !m.includes(avoid));
  return Array.from({ length: count }, (_, i) => `${timestamp(rng, i)} ${rng.pick(levels)} ${rng.pick(components)} ${rng.pick(pool)}`);
}

/** Distinct file names from the stems, each with an extension the caller chooses. */
function fileNames(rng: Rng, count: number, extension: (i: number) => string): string[] {
  return rng.shuffle(stems).slice(0, count).map((stem, i) => `${stem}.${extension(i)}`);
}

function sentence(rng: Rng, count: number): string {
  return Array.from({ length: count }, () => rng.pick(words) + (rng.chance(0.1) ? ',' : '')).join(' ');
}

function cents(value: number): string {
  return `${Math.floor(value / 100)}.${pad(value % 100)}`;
}

function primesBelow(n: number): number {
  const composite = new Uint8Array(n);
  let count = 0;
  for (let i = 2; i < n; i++) {
    if (composite[i]) continue;
    count++;
    for (let j = i * i; j < n; j += i) composite[j] = 1;
  }
  return count;
}

const families: Record<string, (rng: Rng) => Task> = {
  'count-extension': (rng) => {
    const target = rng.pick(extensions);
    const hits = rng.int(1, 5);
    const others = extensions.filter((e) => e !== target);
    const files: Record<string, string> = {};
    for (const name of fileNames(rng, hits + rng.int(4, 9), (i) => (i < hits ? target : rng.pick(others)))) files[name] = `${name}\n`;
    // A name that contains the extension without ending in it: `*.log` globbing and endswith() both leave it out.
    if (rng.chance(0.5)) files[`old.${target}.bak`] = 'old\n';
    return { prompt: `How many files in the working directory have the extension \`.${target}\`?`, files, answer: String(hits) };
  },

  'count-matching-lines': (rng) => {
    const file = rng.pick(['server.log', 'app.log', 'worker.log', 'gateway.log']);
    const needle = rng.pick(['ERROR', 'WARN', 'timeout', 'retry', 'disk']);
    const rows = logLines(rng, rng.int(30, 80));
    if (!rows.some((r) => r.includes(needle))) rows[rng.int(0, rows.length - 1)] += ` (${needle})`;
    return {
      prompt: `How many lines of \`${file}\` contain the text \`${needle}\`?`,
      files: { [file]: lines(rows) },
      answer: String(rows.filter((r) => r.includes(needle)).length),
    };
  },

  'first-matching-line': (rng) => {
    const file = rng.pick(['server.log', 'app.log', 'events.log']);
    const needle = rng.pick(['timeout', 'retry', 'reset', 'quota']);
    const rows = logLines(rng, rng.int(20, 60), needle);
    const first = rng.int(3, rows.length - 1);
    rows[first] += ` (${needle})`;
    for (let i = first + 1; i < rows.length; i++) if (rng.chance(0.1)) rows[i] += ` (${needle})`;
    return {
      prompt: `What is the number of the first line of \`${file}\` that contains \`${needle}\`? Lines are numbered from 1.`,
      files: { [file]: lines(rows) },
      answer: String(first + 1),
    };
  },

  'largest-file': (rng) => {
    const count = rng.int(4, 9);
    const sizes = rng.shuffle(Array.from({ length: 60 }, (_, i) => 200 + i * 97)).slice(0, count);
    const fileList = fileNames(rng, count, () => rng.pick(extensions));
    const files: Record<string, string> = {};
    fileList.forEach((name, i) => {
      files[name] = (sentence(rng, sizes[i]) + ' ').slice(0, sizes[i] - 1) + '\n';
    });
    const largest = fileList[sizes.indexOf(Math.max(...sizes))];
    return { prompt: 'Which file in the working directory is the largest, in bytes? Answer with its file name.', files, answer: largest };
  },

  'csv-column-sum': (rng) => {
    const file = rng.pick(['sales.csv', 'orders.csv', 'invoices.csv']);
    const column = rng.pick(['amount', 'total', 'price']);
    const header = rng.shuffle(['date', 'region', column]);
    let sum = 0;
    const rows = Array.from({ length: rng.int(12, 40) }, (_, i) => {
      const value = rng.int(100, 99_999);
      sum += value;
      const cell: Record<string, string> = { date: timestamp(rng, i).slice(0, 10), region: rng.pick(regions), [column]: cents(value) };
      return header.map((h) => cell[h]).join(',');
    });
    return {
      prompt: `What is the sum of the \`${column}\` column of \`${file}\`? Give it with exactly two decimals.`,
      files: { [file]: lines([header.join(','), ...rows]) },
      answer: cents(sum),
    };
  },

  'distinct-values': (rng) => {
    const file = rng.pick(['people.csv', 'staff.csv', 'members.csv']);
    const column = rng.pick(['city', 'team']);
    const pool = rng.shuffle(column === 'city' ? cities : teams).slice(0, rng.int(3, column === 'city' ? 10 : 7));
    const rows = Array.from({ length: rng.int(10, 40) }, () => ({ name: rng.pick(names), city: rng.pick(cities), team: rng.pick(teams), [column]: rng.pick(pool) }));
    const header = ['name', 'city', 'team'];
    return {
      prompt: `How many distinct values does the \`${column}\` column of \`${file}\` contain?`,
      files: { [file]: lines([header.join(','), ...rows.map((r) => header.map((h) => r[h]).join(','))]) },
      answer: String(new Set(rows.map((r) => r[column])).size),
    };
  },

  'count-words': (rng) => {
    const file = rng.pick(['notes.txt', 'essay.txt', 'draft.txt', 'letter.txt']);
    const rows = Array.from({ length: rng.int(5, 20) }, () => (rng.chance(0.15) ? '' : sentence(rng, rng.int(3, 14))));
    const text = lines(rows);
    return {
      prompt: `How many whitespace-separated words are in \`${file}\`?`,
      files: { [file]: text },
      answer: String(text.split(/\s+/).filter(Boolean).length),
    };
  },

  'total-lines': (rng) => {
    const txt = rng.int(2, 5);
    const files: Record<string, string> = {};
    let total = 0;
    fileNames(rng, txt + rng.int(1, 3), (i) => (i < txt ? 'txt' : rng.pick(['md', 'csv', 'log']))).forEach((name) => {
      const rows = Array.from({ length: rng.int(3, 40) }, () => sentence(rng, rng.int(2, 8)));
      if (name.endsWith('.txt')) total += rows.length;
      files[name] = lines(rows);
    });
    return { prompt: 'How many lines are there in total across all `.txt` files in the working directory?', files, answer: String(total) };
  },

  'most-frequent-ip': (rng) => {
    const file = rng.pick(['access.log', 'nginx-access.log']);
    const ips = Array.from({ length: rng.int(4, 8) }, (_, i) => `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${10 + i}`);
    const weights = ips.map(() => rng.int(1, 12));
    const pool = ips.flatMap((ip, i) => Array<string>(weights[i]).fill(ip));
    const clients = Array.from({ length: rng.int(25, 70) }, () => rng.pick(pool));
    const counts = new Map<string, number>();
    for (const ip of clients) counts.set(ip, (counts.get(ip) ?? 0) + 1);
    const top = Math.max(...counts.values());
    const leader = [...counts].find(([, n]) => n === top)![0];
    // Break a tie so the answer is unique.
    if ([...counts.values()].filter((n) => n === top).length > 1) clients.splice(rng.int(0, clients.length), 0, leader);
    const paths = ['/', '/login', '/api/items', '/static/app.js', '/health'];
    const rows = clients.map((ip, i) => {
      const [date, time] = timestamp(rng, i).split(' ');
      return `${ip} - - [${date.slice(8)}/Mar/2024:${time} +0000] "GET ${rng.pick(paths)} HTTP/1.1" ${rng.pick([200, 200, 304, 404])} ${rng.int(120, 9000)}`;
    });
    return {
      prompt: `Which IP address appears most often in \`${file}\`? Each line starts with the client's IP address.`,
      files: { [file]: lines(rows) },
      answer: leader,
    };
  },

  'json-field': (rng) => {
    const file = rng.pick(['config.json', 'settings.json']);
    const config = {
      service: { name: rng.pick(stems) + '-svc', port: rng.int(3000, 9999), workers: rng.int(2, 32) },
      database: { host: `db-${rng.int(1, 9)}.internal`, port: rng.int(5400, 5499), user: rng.pick(names).toLowerCase(), pool_size: rng.int(5, 50) },
      cache: { host: `cache-${rng.int(1, 9)}.internal`, port: rng.int(6300, 6399), ttl_seconds: rng.int(30, 3600) },
    };
    const section = rng.pick(Object.keys(config) as Array<keyof typeof config>);
    const key = rng.pick(Object.keys(config[section]));
    return {
      prompt: `What is the value of the key \`${key}\` inside the \`${section}\` object of \`${file}\`?`,
      files: { [file]: JSON.stringify(config, null, 2) + '\n' },
      answer: String((config[section] as Record<string, string | number>)[key]),
    };
  },

  'digit-sum-power': (rng) => {
    const base = rng.int(2, 99);
    const exponent = rng.int(50, 400);
    const digits = (BigInt(base) ** BigInt(exponent)).toString();
    return {
      prompt: `What is the sum of the decimal digits of ${base} to the power of ${exponent}?`,
      files: {},
      answer: String([...digits].reduce((s, d) => s + Number(d), 0)),
    };
  },

  'count-primes': (rng) => {
    const n = rng.int(10_000, 300_000);
    return { prompt: `How many prime numbers are smaller than ${n}?`, files: {}, answer: String(primesBelow(n)) };
  },

  'sha256-prefix': (rng) => {
    const text = `${rng.pick(words)}-${rng.pick(words)}-${rng.int(1, 9999)}`;
    return {
      prompt: `What are the first 16 hexadecimal characters of the SHA-256 digest of the UTF-8 string \`${text}\` (without a trailing newline)?`,
      files: {},
      answer: sha256(text).slice(0, 16),
    };
  },

  median: (rng) => {
    const file = rng.pick(['numbers.txt', 'values.txt', 'readings.txt']);
    const values = Array.from({ length: 2 * rng.int(5, 25) + 1 }, () => rng.int(-500, 5000));
    const sorted = [...values].sort((a, b) => a - b);
    return {
      prompt: `What is the median of the integers in \`${file}\` (one per line)?`,
      files: { [file]: lines(values.map(String)) },
      answer: String(sorted[(sorted.length - 1) / 2]),
    };
  },
};

export function generate(): Array<{ file: string; rows: unknown[]; info: ManifestInfo }> {
  const rows = Object.entries(families).flatMap(([family, make]) => {
    // One stream per family, seeded by its name, so adding a family leaves the others' samples unchanged.
    const rng = createRng((SEED ^ parseInt(sha256(family).slice(0, 8), 16)) >>> 0);
    return Array.from({ length: PER_FAMILY }, (_, i) => ({
      id: `tf-${family}-${pad(i + 1)}`,
      family,
      ...make(rng),
      source: 'cardeval',
    }));
  });
  return [
    {
      file: 'datasets/tool-format/tasks.jsonl',
      rows,
      info: {
        version: '1',
        generator: 'evals/tool-format/generate.ts',
        seed: SEED,
        license: 'MIT (original content generated by cardeval)',
        source: 'original tasks generated by cardeval',
        description:
          'Tasks that need code to answer (parse a provided file, count, compute), many of them tempting a shell; ' +
          'one file serves both variants (native-tools, text-protocol).',
      },
    },
  ];
}
