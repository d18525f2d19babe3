// ConfigNode over plain JSON data: case-insensitive keys, JSON paths in every error, and a
// record of which keys were read so that unknown keys are errors rather than silent no-ops.
import type { ConfigNode, ReferenceKind } from '../api/config-node.ts';
import { ConfigError } from '../common/errors.ts';
import { parseGoDuration } from './duration.ts';

export interface ConfigWarning {
  path: string;
  message: string;
}

export interface PendingReference {
  kind: ReferenceKind;
  name: string;
  path: string;
}

/** Shared by every node of one document. */
export class ReaderContext {
  readonly warnings: ConfigWarning[] = [];
  readonly references: PendingReference[] = [];
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class JsonConfigNode implements ConfigNode {
  readonly path: string;
  readonly #data: Record<string, unknown>;
  readonly #ctx: ReaderContext;
  /** lower-cased key -> key as spelled in the document */
  readonly #keys = new Map<string, string>();
  readonly #read = new Set<string>();

  constructor(data: unknown, path: string, ctx: ReaderContext) {
    this.path = path;
    this.#ctx = ctx;
    if (!isPlainObject(data)) throw new ConfigError(path, `expected an object, got ${describe(data)}`);
    this.#data = data;
    for (const key of Object.keys(data)) {
      const lower = key.toLowerCase();
      const prev = this.#keys.get(lower);
      // Go's encoding/json lets the later of two case-variants win; we refuse the ambiguity.
      if (prev !== undefined) throw new ConfigError(this.#join(key), `duplicate key (also spelled "${prev}")`);
      this.#keys.set(lower, key);
    }
  }

  static root(data: unknown, ctx: ReaderContext): JsonConfigNode {
    return new JsonConfigNode(data, '', ctx);
  }

  #join(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  pathOf(key: string): string {
    return this.#join(this.#keys.get(key.toLowerCase()) ?? key);
  }

  has(key: string): boolean {
    const k = this.#keys.get(key.toLowerCase());
    return k !== undefined && this.#data[k] !== undefined && this.#data[k] !== null;
  }

  /** Value of a key, marking it read; null is treated as absent (as Go does for most fields). */
  #get(key: string): unknown {
    const k = this.#keys.get(key.toLowerCase());
    if (k === undefined) return undefined;
    this.#read.add(k);
    const v = this.#data[k];
    return v === null ? undefined : v;
  }

  raw(key: string): unknown {
    return this.#get(key);
  }

  string(key: string): string | undefined;
  string(key: string, fallback: string): string;
  string(key: string, fallback?: string): string | undefined {
    const v = this.#get(key);
    if (v === undefined) return fallback;
    if (typeof v !== 'string') this.fail(key, `expected a string, got ${describe(v)}`);
    return v;
  }

  requiredString(key: string): string {
    const v = this.string(key);
    if (v === undefined || v === '') this.fail(key, 'is required');
    return v;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    return this.optionalOneOf(key, allowed) ?? fallback;
  }

  optionalOneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const v = this.string(key);
    if (v === undefined || v === '') return undefined;
    const found = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
    if (found === undefined) {
      this.fail(key, `unsupported value ${JSON.stringify(v)} (supported: ${allowed.join(', ')})`);
    }
    return found;
  }

  integer(key: string, opts: { min?: number; max?: number }): number | undefined;
  integer(key: string, opts: { min?: number; max?: number; fallback: number }): number;
  integer(key: string, opts: { min?: number; max?: number; fallback?: number }): number | undefined {
    let v = this.#get(key);
    if (v === undefined) return opts.fallback;
    // Go accepts quoted numbers only with the `,string` tag, which MOSN does not use.
    if (typeof v !== 'number' || !Number.isInteger(v)) this.fail(key, `expected an integer, got ${describe(v)}`);
    v = v as number;
    if (opts.min !== undefined && (v as number) < opts.min) this.fail(key, `must be >= ${opts.min}, got ${v}`);
    if (opts.max !== undefined && (v as number) > opts.max) this.fail(key, `must be <= ${opts.max}, got ${v}`);
    return v as number;
  }

  boolean(key: string, fallback: boolean): boolean {
    const v = this.#get(key);
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') this.fail(key, `expected true or false, got ${describe(v)}`);
    return v;
  }

  duration(key: string): number | undefined;
  duration(key: string, fallback: number): number;
  duration(key: string, fallback?: number): number | undefined {
    const v = this.#get(key);
    if (v === undefined || v === '') return fallback;
    if (v === 0) return 0;
    if (typeof v !== 'string') {
      this.fail(key, `expected a duration string such as "10s" or "250ms", got ${describe(v)}`);
    }
    const ms = parseGoDuration(v);
    if (ms === undefined) this.fail(key, `invalid duration ${JSON.stringify(v)} (use Go syntax: "10s", "1m30s", "250ms")`);
    return ms;
  }

  stringArray(key: string): string[] | undefined {
    const v = this.#get(key);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) this.fail(key, `expected an array of strings, got ${describe(v)}`);
    return v.map((item, i) => {
      if (typeof item !== 'string') {
        throw new ConfigError(`${this.pathOf(key)}[${i}]`, `expected a string, got ${describe(item)}`);
      }
      return item;
    });
  }

  object(key: string): ConfigNode | undefined {
    const v = this.#get(key);
    if (v === undefined) return undefined;
    return new JsonConfigNode(v, this.pathOf(key), this.#ctx);
  }

  requiredObject(key: string): ConfigNode {
    const node = this.object(key);
    if (!node) this.fail(key, 'is required');
    return node;
  }

  objectOrEmpty(key: string): ConfigNode {
    return new JsonConfigNode(this.#get(key) ?? {}, this.pathOf(key), this.#ctx);
  }

  objects(key: string): ConfigNode[] {
    const v = this.#get(key);
    if (v === undefined) return [];
    if (!Array.isArray(v)) this.fail(key, `expected an array, got ${describe(v)}`);
    const base = this.pathOf(key);
    return v.map((item, i) => new JsonConfigNode(item, `${base}[${i}]`, this.#ctx));
  }

  stringMap(key: string): Record<string, string> | undefined {
    const v = this.#get(key);
    if (v === undefined) return undefined;
    if (!isPlainObject(v)) this.fail(key, `expected an object of strings, got ${describe(v)}`);
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(v)) {
      if (typeof val !== 'string') {
        throw new ConfigError(`${this.pathOf(key)}.${k}`, `expected a string, got ${describe(val)}`);
      }
      out[k] = val;
    }
    return out;
  }

  reference(kind: ReferenceKind, key: string): string | undefined {
    const name = this.string(key);
    if (name === undefined || name === '') return undefined;
    this.#ctx.references.push({ kind, name, path: this.pathOf(key) });
    return name;
  }

  ignore(key: string, why: string): void {
    const k = this.#keys.get(key.toLowerCase());
    if (k === undefined) return;
    this.#read.add(k);
    this.#ctx.warnings.push({ path: this.#join(k), message: `ignored: ${why}` });
  }

  refuse(key: string, why: string): void {
    if (this.has(key)) this.fail(key, `not supported: ${why}`);
    const k = this.#keys.get(key.toLowerCase());
    if (k !== undefined) this.#read.add(k); // present but null
  }

  fail(key: string | undefined, reason: string): never {
    throw new ConfigError(key === undefined ? this.path : this.pathOf(key), reason);
  }

  finish(): void {
    for (const k of this.#keys.values()) {
      if (!this.#read.has(k)) throw new ConfigError(this.#join(k), 'unknown key');
    }
  }
}
