// The read side of one object in a MOSN config document, with its JSON path. Implemented by
// src/config/reader.ts; extensions (filters, codecs) parse their own config through it, so they
// never depend on the config module itself.
//
// Keys match case-insensitively, as Go's encoding/json does for MOSN. Every key must be read,
// ignored on purpose, or refused: `finish()` turns any key left over into an error naming its
// JSON path, so nothing in a config is silently skipped.

export type ReferenceKind = 'cluster' | 'router';

export interface ConfigNode {
  /** JSON path of this object, e.g. `servers[0].listeners[1]`. */
  readonly path: string;
  /** JSON path of a key of this object (with the spelling the document uses). */
  pathOf(key: string): string;
  has(key: string): boolean;
  /** The raw value (for opaque values such as metadata); marks the key as read. */
  raw(key: string): unknown;

  string(key: string): string | undefined;
  string(key: string, fallback: string): string;
  requiredString(key: string): string;
  /** A string that must be one of `allowed` (compared case-insensitively, returned as listed). */
  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T;
  optionalOneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined;
  integer(key: string, opts: { min?: number; max?: number }): number | undefined;
  integer(key: string, opts: { min?: number; max?: number; fallback: number }): number;
  boolean(key: string, fallback: boolean): boolean;
  /** A Go duration string ("10s", "1m30s", "250ms") in milliseconds. */
  duration(key: string): number | undefined;
  duration(key: string, fallback: number): number;
  stringArray(key: string): string[] | undefined;
  object(key: string): ConfigNode | undefined;
  requiredObject(key: string): ConfigNode;
  /** The object at `key`, or an empty one (same path) when the key is absent. */
  objectOrEmpty(key: string): ConfigNode;
  /** An array of objects; an absent key gives []. */
  objects(key: string): ConfigNode[];
  /** A map of string -> string (e.g. metadata), optional. */
  stringMap(key: string): Record<string, string> | undefined;

  /** Reads a string naming a cluster or router and checks, once all is parsed, that it exists. */
  reference(kind: ReferenceKind, key: string): string | undefined;
  /** Accepted with a warning: MOSN itself ignores this key (or it has no effect here). */
  ignore(key: string, why: string): void;
  /** A key we do not implement: an error if present. */
  refuse(key: string, why: string): void;
  /** An error at this node or one of its keys. */
  fail(key: string | undefined, reason: string): never;
  /** Errors for keys nobody read. Call after reading every key you know. */
  finish(): void;
}
