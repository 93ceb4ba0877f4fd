// The coordinator (rustc's `back/write.rs`): the main thread lowers the units that must be
// rebuilt, largest first, and feeds each finished module to a pool of `jobs` workers
// that optimize and emit it (for LLVM, each worker drives an `opt`/`llc` process), while
// reused work products come straight from the cache. LTO runs once every module is in:
// fat LTO merges them all; thin LTO computes the import map and runs one backend job per
// module, reusing a cached object when the module and its imports are unchanged. The
// first failure stops the feeding; running jobs finish and the build reports it.
// Objects are returned in unit order, so the output never depends on scheduling.

import type { ModuleOptions } from '../traits/misc.js';
import type { ObjectFile, SerializedModule, WriteMethods } from '../traits/write.js';
import { computeImportMap, importKey, type ImportList } from './lto.js';

export type CguReuse = 'No' | 'PreLto' | 'PostLto';
export type LtoMode = 'off' | 'thin' | 'fat';

export interface UnitWork {
  name: string;
  sizeEstimate: number;
  reuse: CguReuse;
  /** Lowers and serializes the unit; undefined when lowering failed (its diagnostics are already reported). */
  lower: () => SerializedModule | undefined;
  /** The cached pre-LTO module (reuse `PreLto`, and `PostLto` when the store has it). */
  pre?: SerializedModule;
  /** The cached object (reuse `PostLto`). */
  post?: ObjectFile;
  /** Thin LTO: the import key the cached object was built with. */
  postImports?: string;
}

export interface UnitOutcome {
  name: string;
  /** The final decision: thin LTO may have upgraded `PreLto` to `PostLto`. */
  reuse: CguReuse;
  pre?: SerializedModule;
  post?: ObjectFile;
  /** Thin LTO: the import key of this build's object. */
  imports?: string;
  /** Thin LTO: why a `PreLto` unit's cached object could not be used. */
  importsChanged?: string;
  ms: number;
  /** Verify mode: how the fresh work product differs from the reused one. */
  mismatch?: string;
}

export interface CoordinatorOptions {
  lto: LtoMode;
  jobs: number;
  module: ModuleOptions;
  /** Name of the fat LTO object. */
  fatName: string;
  /** A cached fat LTO object, used when every module is unchanged. */
  fatCached?: ObjectFile;
  /** Recompile reused units and compare (`--verify-incremental`). */
  verify?: boolean;
  /** Work for the main thread once every unit is lowered, while the last backend jobs run. */
  whileCompiling?: () => void;
  /** Called as each unit that had to be compiled has its object (fat LTO: each unit once lowered). */
  onUnitDone?: (name: string) => void;
}

export interface CoordinatorResult {
  ok: boolean;
  outcomes: UnitOutcome[];
  /** The objects to link, in unit order (fat LTO: one). */
  objects: ObjectFile[];
  /** Fat LTO: the merged object (for the cache). */
  fat?: ObjectFile;
  errors: string[];
}

/** A pool of `size` slots running async jobs; the first failure is kept and stops new jobs. */
class JobPool {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly jobs: Promise<void>[] = [];
  readonly errors: string[] = [];

  constructor(private readonly size: number) {}

  get failed(): boolean {
    return this.errors.length > 0;
  }

  /** Starts `job` as soon as a slot is free; resolves once it has started. */
  async submit(job: () => Promise<void>): Promise<void> {
    while (this.running >= this.size) await new Promise<void>((r) => this.waiting.push(r));
    if (this.failed) return;
    this.running++;
    const p = job()
      .catch((e: unknown) => {
        this.errors.push(e instanceof Error ? e.message : String(e));
      })
      .finally(() => {
        this.running--;
        this.waiting.shift()?.();
      });
    this.jobs.push(p);
  }

  async drain(): Promise<void> {
    await Promise.all(this.jobs);
  }
}

/** Lets started processes and finished jobs make progress between two synchronous lowerings. */
const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

export async function runCoordinator<M>(backend: WriteMethods<M>, works: UnitWork[], options: CoordinatorOptions): Promise<CoordinatorResult> {
  const pool = new JobPool(Math.max(1, options.jobs));
  const outcomes = new Map<string, UnitOutcome>(works.map((w) => [w.name, { name: w.name, reuse: w.reuse, pre: w.pre, post: w.post, imports: w.postImports, ms: 0 }]));
  const timed = async <T>(name: string, f: () => Promise<T> | T): Promise<T> => {
    const t = performance.now();
    try {
      return await f();
    } finally {
      outcomes.get(name)!.ms += performance.now() - t;
    }
  };
  let lowerFailed = false;

  // Largest first, so the longest jobs start early (rustc's ordering).
  const toLower = works.filter((w) => w.reuse === 'No' || options.verify).sort((a, b) => b.sizeEstimate - a.sizeEstimate || (a.name < b.name ? -1 : 1));
  for (const w of toLower) {
    if (pool.failed) break;
    const out = outcomes.get(w.name)!;
    const module = await timed(w.name, w.lower);
    if (!module) {
      lowerFailed = true;
      continue;
    }
    if (w.reuse !== 'No') {
      out.mismatch = compareModules(w.pre, module);
      if (!out.mismatch && w.reuse === 'PostLto' && options.lto === 'off') {
        await pool.submit(async () => {
          const obj = await backend.compile(module, options.module);
          out.mismatch = compareBytes('object', w.post?.bytes, obj.bytes);
        });
      }
      continue;
    }
    out.pre = module;
    if (options.lto === 'off') {
      await pool.submit(async () => {
        out.post = await timed(w.name, () => backend.compile(module, options.module));
        options.onUnitDone?.(w.name);
      });
    } else if (options.lto === 'fat') options.onUnitDone?.(w.name);
    await yieldToEventLoop();
  }
  options.whileCompiling?.();
  await pool.drain();
  const result = (objects: ObjectFile[], fat?: ObjectFile): CoordinatorResult => ({
    ok: !lowerFailed && !pool.failed && objects.length > 0,
    outcomes: works.map((w) => outcomes.get(w.name)!),
    objects,
    fat,
    errors: pool.errors,
  });
  if (lowerFailed || pool.failed) return result([]);

  if (options.lto === 'off') return result(works.map((w) => outcomes.get(w.name)!.post!));
  const modules = works.map((w) => outcomes.get(w.name)!.pre!);
  if (options.lto === 'fat') {
    const allReused = works.every((w) => w.reuse !== 'No');
    const fat = allReused && options.fatCached ? options.fatCached : await backend.fatLto(options.fatName, modules, options.module).catch((e: unknown) => (pool.errors.push(e instanceof Error ? e.message : String(e)), undefined));
    return fat ? result([fat], fat) : result([]);
  }
  await thinLto(backend, works, modules, outcomes, pool, options);
  await pool.drain();
  if (pool.failed) return result([]);
  return result(works.map((w) => outcomes.get(w.name)!.post!));
}

/** Thin LTO: the import map, then per module either the cached object or a backend job. */
async function thinLto<M>(backend: WriteMethods<M>, works: UnitWork[], modules: SerializedModule[], outcomes: Map<string, UnitOutcome>, pool: JobPool, options: CoordinatorOptions): Promise<void> {
  const byName = new Map(modules.map((m) => [m.name, m]));
  const imports = computeImportMap(new Map(modules.map((m) => [m.name, backend.thinSummary(m)])));
  const rebuilt = new Set(works.filter((w) => w.reuse === 'No').map((w) => w.name));
  for (const w of works) {
    const out = outcomes.get(w.name)!;
    const list: ImportList[] = imports.get(w.name) ?? [];
    out.imports = importKey(list);
    // rustc's rule: the module, its import list and every module it imports from are unchanged.
    const changedSource = list.find((l) => rebuilt.has(l.from));
    if (w.reuse === 'PreLto' && w.post && w.postImports === out.imports && !changedSource) {
      out.reuse = 'PostLto';
      continue;
    }
    if (w.reuse === 'PreLto') out.importsChanged = !w.post ? 'there is no cached post-LTO object' : changedSource ? `it imports from \`${changedSource.from}\`, which changed` : 'its import list changed';
    const module = byName.get(w.name)!;
    await pool.submit(async () => {
      const t = performance.now();
      out.post = await backend.thinBackend(module, list.map((l) => ({ from: byName.get(l.from)!, symbols: l.symbols })), options.module);
      out.ms += performance.now() - t;
      if (rebuilt.has(w.name)) options.onUnitDone?.(w.name);
    });
  }
}

function compareModules(cached: SerializedModule | undefined, fresh: SerializedModule): string | undefined {
  if (!cached) return undefined;
  return compareBytes('pre-LTO module', cached.bytes, fresh.bytes);
}

/** Undefined when equal; else where the first difference is (a line, for text). */
function compareBytes(what: string, cached: Uint8Array | undefined, fresh: Uint8Array): string | undefined {
  if (!cached) return undefined;
  if (Buffer.from(cached).equals(Buffer.from(fresh))) return undefined;
  let i = 0;
  while (i < cached.length && i < fresh.length && cached[i] === fresh[i]) i++;
  const text = new TextDecoder().decode(cached.subarray(0, i));
  const line = text.split('\n').length;
  return `the fresh ${what} differs from the cached one at byte ${i} (line ${line})`;
}
