// Reading routing headers out of a Hessian 2 Dubbo request body, in two depths:
// - the prefix: framework version, service path, service version, method name (what MOSN
//   extracts for every request);
// - everything: the prefix, then the arguments skipped by counting the parameter-types
//   descriptor, then the string attachments (what MOSN does on its ingress_dubbo/egress_dubbo
//   listeners).
// Decoding is hessian.js's; any failure is a CodecError.
import { CodecError } from '../../common/errors.ts';
import { DubboHeader } from './constants.ts';
import { type HessianReader, newHessianReader } from './hessian.ts';
import { PrefixMemo } from './prefix-memo.ts';

export interface DubboRequestPrefix {
  readonly dubbo: string;
  readonly service: string;
  readonly version: string;
  readonly method: string;
}

/** per thread; a few dozen bytes per entry */
const recentPrefixes = new PrefixMemo(32);

export function readRequestPrefix(body: Buffer): DubboRequestPrefix {
  const known = recentPrefixes.find(body);
  if (known !== undefined) return known;
  try {
    const reader = newHessianReader(body);
    const prefix = readPrefix(reader);
    checkInside(reader, body);
    recentPrefixes.remember(body.subarray(0, reader.position()), prefix);
    return prefix;
  } catch (err) {
    throw asCodecError(err);
  }
}

/**
 * All routing headers. Attachments add keys the prefix does not have; with
 * `attachmentsOverride` (MOSN's ingress/egress_dubbo behaviour) they replace prefix values and
 * the `interface` attachment replaces `service`.
 */
export function readRequestHeaders(body: Buffer, attachmentsOverride: boolean): Map<string, string> {
  try {
    const reader = newHessianReader(body);
    const prefix = readPrefix(reader);
    const headers = new Map<string, string>([
      [DubboHeader.frameworkVersion, prefix.dubbo],
      [DubboHeader.service, prefix.service],
      [DubboHeader.version, prefix.version],
      [DubboHeader.method, prefix.method],
    ]);
    let descriptor = reader.read();
    // dubbox writes an int (-1) before the descriptor (dubbo2.js isSupportedDubbox)
    if (typeof descriptor === 'number') descriptor = reader.read();
    if (typeof descriptor !== 'string') throw badBody('parameter types descriptor is not a string');
    for (let i = dubboArgumentCount(descriptor); i > 0; i--) reader.read();
    const attachments = reader.read();
    checkInside(reader, body);
    for (const [key, value] of entriesOf(attachments)) {
      if (typeof key !== 'string' || typeof value !== 'string') continue;
      if (attachmentsOverride || !headers.has(key)) headers.set(key, value);
    }
    const iface = attachmentsOverride ? headers.get(DubboHeader.interface) : undefined;
    if (iface !== undefined) headers.set(DubboHeader.service, iface);
    return headers;
  } catch (err) {
    throw asCodecError(err);
  }
}

function readPrefix(reader: HessianReader): DubboRequestPrefix {
  const dubbo = expectString(reader.read(), 'framework version');
  const service = expectString(reader.read(), 'service path');
  const version = reader.read();
  if (version !== null && typeof version !== 'string') throw badBody('service version is not a string');
  const method = expectString(reader.read(), 'method name');
  return { dubbo, service, version: version ?? '', method };
}

function expectString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw badBody(`${what} is not a string`);
  return value;
}

/** hessian.js maps keep their original keys in a non-enumerable `$map` (ES Map). */
function entriesOf(value: unknown): Iterable<[unknown, unknown]> {
  if (value === null || typeof value !== 'object') return [];
  const original = (value as { $map?: unknown }).$map;
  return original instanceof Map ? original.entries() : Object.entries(value);
}

/**
 * Number of arguments a JVM parameter-types descriptor announces, counted like MOSN's
 * getArgumentCount: each primitive letter or `L…;` object is one, `[` prefixes do not count.
 */
export function dubboArgumentCount(descriptor: string): number {
  let count = 0;
  let inObject = false;
  for (let i = 0; i < descriptor.length; i++) {
    const ch = descriptor[i];
    if (ch === '[') continue;
    if (inObject) {
      if (ch === ';') inObject = false;
      continue;
    }
    if (ch === 'L') {
      count++;
      inObject = true;
    } else if ('VZBCDFIJS'.includes(ch!)) {
      count++;
    }
  }
  return count;
}

/** hessian.js can step past the end on a truncated binary instead of throwing. */
function checkInside(reader: HessianReader, body: Buffer): void {
  if (reader.position() > body.length) throw badBody('truncated');
}

function asCodecError(err: unknown): CodecError {
  if (err instanceof CodecError) return err;
  return badBody(err instanceof Error ? err.message : String(err));
}

function badBody(reason: string): CodecError {
  return new CodecError('ERR_CODEC_BAD_BODY', `dubbo request body: ${reason}`);
}
