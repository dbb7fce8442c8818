// The NL2Bash / nl2bash-eabench importer: rows valid for tool-format, stable ids; and on the shared copies when present.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importEabench, importNl2Bash } from '../../../evals/imported/importers/nl2bash.js';
import { toJsonl, writeDataset } from '../../../core/dataset-file.js';
import { projectRoot } from '../../../core/root.js';
import { loadDataset } from '../../../harness/datasets.js';
import { toolFormatEval } from '../../../evals/tool-format/index.js';
import { toolTaskSchema } from '../../../evals/tool-format/sample.js';

const nl = ['(GNU specific) Display information on CPU usage.', 'Count the lines in file.txt', '', 'Count the lines in file.txt', '(BSD specific) List processes.'].join('\n');

describe('importNl2Bash', () => {
  it('drops the GNU/BSD prefixes and repeats, and ids name the source line', () => {
    expect(importNl2Bash(nl).map((r) => [r.id, r.prompt])).toEqual([
      ['nl2bash-1', 'Display information on CPU usage.'],
      ['nl2bash-2', 'Count the lines in file.txt'],
      ['nl2bash-5', 'List processes.'],
    ]);
  });

  it('makes format-only rows the eval accepts', () => {
    for (const row of importNl2Bash(nl)) expect(toolTaskSchema.parse(row)).toEqual({ ...row, answer: null, files: {} });
  });

  it('samples `limit` requests by seed, the same ones every time', () => {
    const a = importNl2Bash(nl, { limit: 2, seed: 7 });
    expect(a).toHaveLength(2);
    expect(importNl2Bash(nl, { limit: 2, seed: 7 })).toEqual(a);
  });
});

describe('importEabench', () => {
  it('numbers prompts within their `Set bashN` section and skips the licence line', () => {
    const text = 'These prompts are covered by Community Data License Agreement - Permissive - Version 2.0\n\nSet bash1\nCreate a directory\nList files\nSet bash3\nWhat is the bash script to add two numbers?\n';
    expect(importEabench(text).map((r) => [r.id, r.family, r.prompt])).toEqual([
      ['eabench-bash1-01', 'eabench-bash1', 'Create a directory'],
      ['eabench-bash1-02', 'eabench-bash1', 'List files'],
      ['eabench-bash3-01', 'eabench-bash3', 'What is the bash script to add two numbers?'],
    ]);
  });
});

const shared = join(projectRoot, '..', 'shared', 'datasets');
const nlFile = join(shared, 'nl2bash', 'all.nl.txt');
const eabenchFile = join(shared, 'ibm_nl2bash_eabench', 'nl2bash_prompts.txt');
const haveShared = existsSync(nlFile) && existsSync(eabenchFile);
if (!haveShared) console.warn(`[tool-format] skipping the importer test on the shared data sets: ${nlFile} or ${eabenchFile} not found`);

describe.skipIf(!haveShared)('the importer on the shared copies', () => {
  it('turns 200 NL2Bash requests and the 150 eabench prompts into a dataset the eval loads', () => {
    const rows = [...importNl2Bash(readFileSync(nlFile, 'utf8'), { limit: 200 }), ...importEabench(readFileSync(eabenchFile, 'utf8'))];
    expect(rows.filter((r) => r.source === 'nl2bash')).toHaveLength(200);
    expect(rows.filter((r) => r.source === 'ibm-nl2bash-eabench')).toHaveLength(150);
    const dir = mkdtempSync(join(tmpdir(), 'tool-format-import-'));
    try {
      const file = join(dir, 'shell.jsonl');
      writeDataset(file, rows, { version: '1', generator: 'test', license: 'MIT + CDLA-Permissive-2.0', source: 'shared copies' });
      const loaded = loadDataset(toolFormatEval({ id: 'tool-format-shell', dataset: file }), 'native-tools');
      expect(loaded.samples).toHaveLength(350);
      expect(toJsonl(loaded.samples)).toBe(toJsonl(rows));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
