// `cardeval datasets import KIND --from FILE`: runs an importer on the user's copy of a public data set and writes the
// samples, with manifests, where the evals of evals/imported/index.ts read them.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ConfigError, DatasetError } from '../../core/errors.js';
import { displayPath } from '../datasets.js';
import { manifestPath, toJsonl, writeDataset, type ManifestInfo } from '../../core/dataset-file.js';
import { jsonlLines } from '../../core/jsonl.js';
import { sha256 } from '../../core/hash.js';
import { projectRoot } from '../../core/root.js';
import { DEFAULT_SEED, type ImportOptions, type ImportResult, type Skip, type SourceInfo } from '../../evals/imported/importers/types.js';
import { gsm8kSource, importGsm8k } from '../../evals/imported/importers/gsm8k.js';
import { importMath, mathSource } from '../../evals/imported/importers/math.js';
import { ifevalSource, importIfeval } from '../../evals/imported/importers/ifeval.js';
import { importRealGuardrails, realGuardrailsSource } from '../../evals/imported/importers/realguardrails.js';
import { cybersecevalSource, importCyberseceval } from '../../evals/imported/importers/cyberseceval.js';
import { importTensorTrust, mergeTensorTrust, tensorTrustSource, type TensorTrustRow } from '../../evals/imported/importers/tensortrust.js';
import { DEFAULT_IMPORTED_DIR, importedEvals, importedFiles, type ImportedFile } from '../../evals/imported/index.js';

interface Target {
  file: ImportedFile;
  /** The evals of evals/imported/index.ts that read this file; the first one's schema validates the rows. */
  evals: string[];
  run(text: string, options: ImportOptions): ImportResult<unknown>;
}

interface Kind {
  from: string;
  source: SourceInfo;
  targets: Target[];
  /**
   * A data set published as several files that feed one eval file: the rows already in that file (an earlier import
   * of another of its files) and this import's, merged. Without it, an import replaces the whole folder.
   */
  merge?: (existing: unknown[], imported: unknown[]) => unknown[];
}

const KINDS: Record<string, Kind> = {
  gsm8k: {
    from: 'gsm8k/test.jsonl',
    source: gsm8kSource,
    targets: [{ file: 'gsm8k', evals: ['ih-tutor-jailbreak-gsm8k'], run: importGsm8k }],
  },
  math: {
    from: 'math_hendrycks/math_test.csv',
    source: mathSource,
    targets: [{ file: 'math', evals: ['ih-tutor-jailbreak-math'], run: importMath }],
  },
  ifeval: {
    from: 'ifeval/sys_ifeval.jsonl',
    source: ifevalSource,
    targets: [
      {
        file: 'ifevalUserAttacks',
        evals: ['ih-system-user-conflict-ifeval', 'ih-developer-user-conflict-ifeval'],
        run: (text, options) => importIfeval(text, { ...options, lower: 'user' }),
      },
      {
        file: 'ifevalDeveloperAttacks',
        evals: ['ih-system-developer-conflict-ifeval'],
        run: (text, options) => importIfeval(text, { ...options, lower: 'developer' }),
      },
    ],
  },
  realguardrails: {
    from: 'realguardrails/handwritten.jsonl',
    source: realGuardrailsSource,
    targets: [{ file: 'realguardrails', evals: ['ih-system-user-conflict-realguardrails'], run: importRealGuardrails }],
  },
  cyberseceval: {
    from: 'cyberseceval_prompt_injection/prompt_injection.json',
    source: cybersecevalSource,
    targets: [
      { file: 'cybersecevalPassword', evals: ['ih-password-protection-cyberseceval'], run: (text, options) => importCyberseceval(text, { ...options, target: 'password' }) },
      { file: 'cybersecevalPhrase', evals: ['ih-phrase-protection-cyberseceval'], run: (text, options) => importCyberseceval(text, { ...options, target: 'phrase' }) },
    ],
  },
  tensortrust: {
    from: 'hijacking_robustness_dataset.jsonl or extraction_robustness_dataset.jsonl (your copy; --task if renamed)',
    source: tensorTrustSource,
    targets: [{ file: 'tensortrust', evals: ['tensortrust'], run: importTensorTrust }],
    merge: (existing, imported) => mergeTensorTrust(existing, imported as TensorTrustRow[]),
  },
};

export const datasetKinds = Object.keys(KINDS);

/** Counts of each reason, most frequent first. */
function reasons(skipped: readonly Skip[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const s of skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

/** The rows of an eval file an earlier import wrote, and what its manifest says of their source; none if absent. */
function readEarlier(file: string): { rows: unknown[]; source: string } {
  if (!existsSync(file)) return { rows: [], source: '' };
  const rows = [...jsonlLines(readFileSync(file, 'utf8'), displayPath(file))].map((l) => l.value);
  const manifest = manifestPath(file);
  const source = existsSync(manifest) ? String((JSON.parse(readFileSync(manifest, 'utf8')) as { source?: string }).source ?? '') : '';
  return { rows, source: source.replace(/^.*; imported from /, 'imported from ').replace(/; with \d+ rows kept.*$/, '') };
}

interface Output {
  target: Target;
  result: ImportResult<unknown>;
  /** Rows of the file kept from an earlier import (`Kind.merge`). */
  kept?: number;
}

/** Every row must load in the eval that reads it; a row that does not is an importer bug, caught before anything is written. */
function validate({ target, result }: Output): void {
  const def = importedEvals.find((e) => e.id === target.evals[0])!;
  const ids = new Set<string>();
  result.rows.forEach((row, i) => {
    const parsed = def.sampleSchema.safeParse(row);
    if (!parsed.success) throw new Error(`importer bug: row ${i + 1} for ${def.id} breaks its schema: ${parsed.error.issues[0].message}`);
    const id = (row as { id: string }).id;
    if (ids.has(id)) throw new Error(`importer bug: id "${id}" repeats in ${importedFiles[target.file]}`);
    ids.add(id);
  });
}

/** The names an import of a kind writes in its folder: each target's rows, manifest and skipped rows. */
function namesWritten(kind: Kind): Set<string> {
  return new Set(
    kind.targets.flatMap((t) => {
      const file = basename(importedFiles[t.file]);
      return [file, manifestPath(file), file.replace(/\.jsonl$/, '.skipped.jsonl')];
    }),
  );
}

/**
 * The kind's folder may be replaced only when it holds nothing but what an import writes: a user's notes or files
 * beside them are refused, never deleted with it.
 */
function checkReplaceable(folder: string, kind: Kind): void {
  let entries: string[];
  try {
    if (!statSync(folder).isDirectory()) throw new ConfigError(`${folder} is a file, not an imported data set's folder; move it away, or import with another --out`);
    entries = readdirSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const written = namesWritten(kind);
  const unknown = entries.filter((e) => !written.has(e)).sort();
  if (unknown.length > 0) throw new ConfigError(`${folder} holds files an import did not write (${unknown.join(', ')}); move them away, or import with another --out`);
}

/** Writes the kind's folder beside the old one, then swaps them, so a failure leaves the old data whole. */
function writeKind(out: string, kind: string, outputs: Output[], info: ManifestInfo): string {
  const final = join(out, kind);
  checkReplaceable(final, KINDS[kind]);
  const staging = join(out, `.${kind}.partial-${process.pid}`);
  const old = join(out, `.${kind}.old-${process.pid}`);
  mkdirSync(staging, { recursive: true });
  try {
    for (const o of outputs) {
      const file = join(staging, basename(importedFiles[o.target.file]));
      writeDataset(file, o.result.rows, info);
      writeFileSync(file.replace(/\.jsonl$/, '.skipped.jsonl'), o.result.skipped.length > 0 ? toJsonl(o.result.skipped) : '');
    }
    const replacing = existsSync(final);
    if (replacing) renameSync(final, old);
    try {
      renameSync(staging, final);
    } catch (error) {
      if (replacing) renameSync(old, final);
      throw error;
    }
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return final;
}

/**
 * `cardeval datasets import KIND --from FILE`; the parser has checked the numbers.
 * @example datasetsCommand('gsm8k', { from: 'data/gsm8k/test.jsonl', limit: 200 })
 */
export async function datasetsCommand(kindName: string, flags: { from: string; out?: string; limit?: number; seed?: number; task?: string }): Promise<number> {
  const kind = KINDS[kindName];
  if (!kind) {
    const kinds = datasetKinds.map((k) => `  ${k.padEnd(15)}${KINDS[k].from}`).join('\n');
    throw new ConfigError(`unknown data set kind "${kindName}"; kinds (the file each reads, as named in the shared datasets folder):\n${kinds}`);
  }
  const limit = flags.limit;
  const seed = flags.seed ?? DEFAULT_SEED;

  let text: string;
  try {
    text = readFileSync(flags.from, 'utf8');
  } catch (error) {
    throw new DatasetError(flags.from, 0, '(file)', `cannot read it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const options: ImportOptions & { task?: string } = { seed, limit, file: flags.from, task: flags.task };
  const outputs: Output[] = kind.targets.map((target) => ({ target, result: target.run(text, options) }));
  const written = outputs.filter((o) => o.result.rows.length > 0);
  if (written.length === 0) {
    const why = reasons(outputs[0].result.skipped).map(([r, n]) => `${n} × ${r}`).join('; ');
    throw new DatasetError(flags.from, 0, '(file)', `no row could be imported as ${kindName}: ${why}`);
  }
  outputs.forEach(validate);

  const out = resolve(flags.out ?? process.env.CARDEVAL_IMPORTED_DIR ?? DEFAULT_IMPORTED_DIR);
  const hash = sha256(text);
  let provenance = `${kind.source.source}; imported from ${basename(flags.from)} (sha256 ${hash})`;
  if (kind.merge) {
    for (const o of written) {
      const earlier = readEarlier(join(out, importedFiles[o.target.file]));
      const rows = kind.merge(earlier.rows, o.result.rows);
      const kept = rows.length - o.result.rows.length;
      if (kept > 0) provenance += `; with ${kept} rows kept from an earlier import (${earlier.source})`;
      o.result = { ...o.result, rows };
      o.kept = kept;
    }
  }
  const dir = writeKind(out, kindName, written, {
    version: kind.source.version,
    generator: `importer:${kindName}`,
    seed,
    license: kind.source.license,
    source: provenance,
    description: kind.source.description,
  });

  const lines = [`imported ${kindName} from ${basename(flags.from)} (sha256 ${hash.slice(0, 12)}) into ${displayPath(dir)}`];
  for (const { target, result, kept } of outputs) {
    const file = displayPath(join(out, importedFiles[target.file]));
    const of = result.rows.length < result.eligible ? ` (of ${result.eligible} eligible: --limit ${limit})` : '';
    const earlier = kept ? ` (${kept} of them kept from an earlier import)` : '';
    lines.push(result.rows.length > 0 ? `  ${file}: ${result.rows.length} rows${of}${earlier}, for ${target.evals.join(', ')}` : `  ${file}: no rows, not written`);
    const listed = result.rows.length > 0 && result.skipped.length > 0 ? ` (each with its line and reason in ${basename(file, '.jsonl')}.skipped.jsonl)` : '';
    lines.push(`    skipped ${result.skipped.length} source rows${listed}${result.skipped.length > 0 ? ':' : ''}`);
    for (const [reason, n] of reasons(result.skipped)) lines.push(`    ${String(n).padStart(6)}  ${reason}`);
  }
  const envPrefix = resolve(process.env.CARDEVAL_IMPORTED_DIR ?? DEFAULT_IMPORTED_DIR) === out ? '' : `CARDEVAL_IMPORTED_DIR=${displayPath(out)} `;
  // The module of the imported evals: its source in a clone, its build in an installed package (which ships no
  // sources). A relative path needs its ./ : --eval-module reads a bare name as a package.
  const source = join(projectRoot, 'evals', 'imported', 'index.ts');
  const built = join(projectRoot, 'dist', 'evals', 'imported', 'index.js');
  const module = displayPath(existsSync(source) ? source : built).replace(/^(?![./])/, './');
  const evalFlags = written.flatMap((o) => o.target.evals).map((id) => `--eval ${id}`).join(' ');
  lines.push('run them:', `  ${envPrefix}cardeval run --eval-module ${module} ${evalFlags}`);
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
