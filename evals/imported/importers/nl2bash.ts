// Turns NL2Bash and IBM nl2bash-eabench requests, read from local files the user names, into format-only
// tool-format samples: requests written for a shell, put to a model that has only `python`.
// Usage: npx tsx evals/imported/importers/nl2bash.ts [--nl PATH/all.nl.txt] [--eabench PATH/nl2bash_prompts.txt]
//                                             [--limit N] [--seed N] [--out FILE.jsonl]
// then:  CARDEVAL_TOOL_FORMAT_SHELL=FILE.jsonl cardeval run --eval-module evals/tool-format/imported.ts --eval tool-format-shell
// The files are never copied into the project; the output defaults to .cardeval/ (git-ignored).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createRng } from '../../../core/random.js';
import { writeDataset } from '../../../core/dataset-file.js';

export interface ShellRequestSample {
  id: string;
  family: string;
  prompt: string;
  files: Record<string, string>;
  /** No checkable answer: these samples measure the call format only. */
  answer: null;
  source: string;
}

export const DEFAULT_OUT = '.cardeval/datasets/tool-format-shell.jsonl';

const request = (id: string, family: string, prompt: string, source: string): ShellRequestSample => ({ id, family, prompt, files: {}, answer: null, source });

/**
 * NL2Bash `all.nl` (one English request per line, MIT). Drops the "(GNU specific) " / "(BSD specific) " prefixes and
 * repeated requests; ids keep the 1-based source line, so a sample names the same request whatever the sampling.
 * `limit` requests are chosen by a seeded shuffle, then kept in file order.
 */
export function importNl2Bash(text: string, { limit = 200, seed = 1 }: { limit?: number; seed?: number } = {}): ShellRequestSample[] {
  const seen = new Set<string>();
  const all: ShellRequestSample[] = [];
  text.split('\n').forEach((line, index) => {
    const prompt = line.replace(/^\((GNU|BSD) specific\)\s*/, '').trim();
    if (prompt === '' || seen.has(prompt)) return;
    seen.add(prompt);
    all.push(request(`nl2bash-${index + 1}`, 'nl2bash', prompt, 'nl2bash'));
  });
  if (limit >= all.length) return all;
  const chosen = new Set(createRng(seed).shuffle(all.map((_, i) => i)).slice(0, limit));
  return all.filter((_, i) => chosen.has(i));
}

/** IBM nl2bash-eabench `nl2bash_prompts.txt` (CDLA-Permissive-2.0): `Set bashN` headers, then one prompt a line. */
export function importEabench(text: string): ShellRequestSample[] {
  const rows: ShellRequestSample[] = [];
  let set = 'bash';
  let n = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const header = line.match(/^Set (\w+)$/);
    if (header) {
      [set, n] = [header[1], 0];
      continue;
    }
    if (line === '' || /^These prompts are covered by/.test(line)) continue;
    n++;
    rows.push(request(`eabench-${set}-${String(n).padStart(2, '0')}`, `eabench-${set}`, line, 'ibm-nl2bash-eabench'));
  }
  return rows;
}

if (process.argv[1]?.endsWith('nl2bash.ts')) {
  const { values } = parseArgs({
    options: { nl: { type: 'string' }, eabench: { type: 'string' }, limit: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' } },
  });
  if (!values.nl && !values.eabench) {
    console.error('usage: nl2bash.ts [--nl all.nl.txt] [--eabench nl2bash_prompts.txt] [--limit N] [--seed N] [--out FILE.jsonl]');
    process.exit(2);
  }
  const seed = Number(values.seed ?? 1);
  const rows = [
    ...(values.nl ? importNl2Bash(readFileSync(values.nl, 'utf8'), { limit: Number(values.limit ?? 200), seed }) : []),
    ...(values.eabench ? importEabench(readFileSync(values.eabench, 'utf8')) : []),
  ];
  const out = resolve(values.out ?? DEFAULT_OUT);
  const sources = [
    values.nl && `TellinaTool/nl2bash data/bash/all.nl (MIT), read from ${values.nl}`,
    values.eabench && `IBM/nl2bash-eabench nl2bash_prompts.txt (CDLA-Permissive-2.0: include its licence text when sharing), read from ${values.eabench}`,
  ].filter(Boolean);
  const manifest = writeDataset(out, rows, {
    version: '1',
    generator: 'evals/imported/importers/nl2bash.ts',
    seed,
    license: [values.nl && 'MIT', values.eabench && 'CDLA-Permissive-2.0'].filter(Boolean).join(' + '),
    source: sources.join('; '),
    description: 'Shell requests put to a model that has only a python tool; format-only samples (no answer).',
  });
  console.log(`${out}: ${manifest.rows} rows, sha256 ${manifest.sha256.slice(0, 12)}`);
  console.log(`run them: CARDEVAL_TOOL_FORMAT_SHELL=${out} cardeval run --eval-module evals/tool-format/imported.ts --eval tool-format-shell`);
}
