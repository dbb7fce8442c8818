// The eval registry: built-in evals and suites, plus evals a user loads with --eval-module.
import { pathToFileURL } from 'node:url';
import { dirname, isAbsolute, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { ConfigError } from '../core/errors.js';
import type { AnyEval } from '../core/types.js';
import { builtinEvals } from '../evals/index.js';
import { suites } from '../evals/suites.js';

export interface Selection {
  def: AnyEval;
  variant: string;
}

export class Registry {
  private readonly evals = new Map<string, AnyEval>();

  constructor(evals: AnyEval[] = builtinEvals) {
    for (const e of evals) this.add(e);
  }

  add(e: AnyEval): void {
    if (this.evals.has(e.id)) throw new ConfigError(`eval "${e.id}" is defined twice`);
    this.evals.set(e.id, e);
  }

  /** Loads a user's module; its default export (or an `evals` export) is an eval or a list of evals. */
  async addModule(specifier: string, from = `--eval-module ${specifier}`): Promise<void> {
    // A file that exists is a path (`evals/x.ts` included); anything else is a package name.
    const file = existsSync(resolve(specifier)) ? resolve(specifier) : undefined;
    const url = file ? pathToFileURL(file).href : specifier;
    let mod: Record<string, unknown>;
    try {
      // tsImport loads a TypeScript module as ESM wherever it sits (a .ts file outside a `type: module` package included).
      // Imported here, not at the top: tsx and esbuild cost every command about 60 ms and 14 MB of RSS otherwise.
      const { tsImport } = await import('tsx/esm/api');
      mod = await tsImport(url, import.meta.url);
    } catch (error) {
      throw new ConfigError(`${from}: ${(error as Error).message}`);
    }
    // A .ts file outside a `type: module` package compiles to CommonJS: its exports arrive under `default`.
    const isEval = (e: unknown) => !!e && typeof e === 'object' && 'id' in e && 'grade' in e;
    if (mod.default && !isEval(mod.default) && !Array.isArray(mod.default)) mod = mod.default as Record<string, unknown>;
    const found = [mod.default, mod.evals].flat().filter((e): e is AnyEval => isEval(e));
    if (found.length === 0) throw new ConfigError(`${from}: exports no eval (export default defineEval(...))`);
    for (const e of found) this.add(file ? withDatasetsBeside(e, dirname(file)) : e);
  }

  has(id: string): boolean {
    return this.evals.has(id);
  }

  all(): AnyEval[] {
    return [...this.evals.values()];
  }

  get(id: string): AnyEval {
    const e = this.evals.get(id);
    if (!e) throw new ConfigError(`unknown eval "${id}"; known evals: ${[...this.evals.keys()].join(', ')}`);
    return e;
  }

  /**
   * `--eval ID` or `--eval ID:VARIANT` (repeatable) and a suite: the union of both, suite first, each variant once.
   * With neither: the system-card suite.
   */
  select({ evals = [], suite }: { evals?: string[]; suite?: string }): Selection[] {
    const specs = [...(suite !== undefined ? this.suite(suite) : evals.length > 0 ? [] : this.suite('o3-mini-system-card')), ...evals];
    const out: Selection[] = [];
    for (const spec of specs) {
      const [id, variant] = spec.split(':');
      const def = this.get(id);
      if (variant !== undefined && !def.variants.includes(variant)) {
        throw new ConfigError(`eval "${id}" has no variant "${variant}"; its variants: ${def.variants.join(', ')}`);
      }
      for (const v of variant !== undefined ? [variant] : def.variants) {
        if (!out.some((s) => s.def.id === id && s.variant === v)) out.push({ def, variant: v });
      }
    }
    return out;
  }

  suite(name: string): string[] {
    const members = suites[name];
    if (!members) throw new ConfigError(`unknown suite "${name}"; known suites: ${Object.keys(suites).join(', ')}`);
    return members.filter((id) => this.evals.has(id));
  }
}

/**
 * A module's relative dataset paths are read from the module's own folder, so an eval in another project works from
 * any working directory (`dataset: () => ({ path: 'my-eval.jsonl' })` beside `my-eval.ts`). Absolute paths stay.
 */
function withDatasetsBeside(e: AnyEval, folder: string): AnyEval {
  return {
    ...e,
    dataset: (variant: string) => {
      const ref = e.dataset(variant);
      return isAbsolute(ref.path) ? ref : { ...ref, path: resolve(folder, ref.path) };
    },
  };
}
