import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecError } from '../../../../src/common/errors.ts';
import {
  decodeHeaderMap,
  findHeader,
  headerMapLength,
  writeHeaderMap,
} from '../../../../src/protocol/bolt/header-map.ts';

function encode(headers: Record<string, string>): Buffer {
  const out = Buffer.alloc(headerMapLength(headers));
  expect(writeHeaderMap(out, 0, headers)).toBe(out.length);
  return out;
}

/** [u32 len][bytes] for each item; a number is written as a raw length */
function raw(...items: Array<string | number>): Buffer {
  return Buffer.concat(
    items.map((item) => {
      if (typeof item === 'number') {
        const length = Buffer.alloc(4);
        length.writeUInt32BE(item);
        return length;
      }
      const bytes = Buffer.from(item);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      return Buffer.concat([length, bytes]);
    }),
  );
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(CodecError);
    return (err as CodecError).code;
  }
  throw new Error('expected a CodecError');
}

describe('bolt header map', () => {
  it('round-trips keys and values, UTF-8 and empty ones included', () => {
    const headers = { service: 'com.alipay.test.TestService:1.0', 'rpc_trace_context.sofaTraceId': 'ab', empty: '', 名: '值' };
    const bytes = encode(headers);
    expect(bytes.subarray(0, 11)).toEqual(raw('service').subarray(0, 11));
    expect(Object.fromEntries(decodeHeaderMap(bytes, 0, bytes.length))).toEqual(headers);
  });

  it('decodes only the given range of a larger buffer', () => {
    const bytes = Buffer.concat([Buffer.from('xx'), encode({ a: 'b' }), Buffer.from('yy')]);
    expect([...decodeHeaderMap(bytes, 2, bytes.length - 2)]).toEqual([['a', 'b']]);
  });

  it('keeps the first of duplicate keys, like MOSN BytesHeader.Get', () => {
    const bytes = raw('k', 'first', 'k', 'second');
    expect(decodeHeaderMap(bytes, 0, bytes.length).get('k')).toBe('first');
  });

  it('drops pairs with a null (-1) key or value, as the Java SimpleMapSerializer does', () => {
    const bytes = raw('a', 0xffff_ffff, 0xffff_ffff, 'x', 'b', 'c');
    expect([...decodeHeaderMap(bytes, 0, bytes.length)]).toEqual([['b', 'c']]);
  });

  it('throws ERR_CODEC_BAD_HEADER on a length running past the map', () => {
    const over = raw('key', 'value');
    over.writeUInt32BE(100, 7);
    expect(codeOf(() => decodeHeaderMap(over, 0, over.length))).toBe('ERR_CODEC_BAD_HEADER');
    const truncated = raw('key', 'value').subarray(0, 9);
    expect(codeOf(() => decodeHeaderMap(truncated, 0, truncated.length))).toBe('ERR_CODEC_BAD_HEADER');
    const keyOnly = raw('key');
    expect(codeOf(() => decodeHeaderMap(keyOnly, 0, keyOnly.length))).toBe('ERR_CODEC_BAD_HEADER');
  });

  it('throws on a key longer than the map even when the buffer goes on', () => {
    const bytes = Buffer.concat([raw('key', 'value'), Buffer.alloc(64)]);
    expect(codeOf(() => decodeHeaderMap(bytes, 0, 12))).toBe('ERR_CODEC_BAD_HEADER');
  });

  it('findHeader agrees with decodeHeaderMap on any map, duplicates and nulls included', () => {
    const item = fc.oneof(fc.constantFrom('service', 'k', 'sofa_head_method_name', ''), fc.string({ maxLength: 6 }));
    const entry = fc.tuple(fc.oneof(item, fc.constant(0xffff_ffff)), fc.oneof(item, fc.constant(0xffff_ffff)));
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 8 }), fc.string({ maxLength: 6 }), (pairs, probe) => {
        const bytes = raw(...pairs.flat());
        const map = decodeHeaderMap(bytes, 0, bytes.length);
        for (const name of [probe, 'service', 'k', '', ...map.keys()].filter((n) => /^[\x00-\x7f]*$/.test(n))) {
          expect(findHeader(bytes, 0, bytes.length, name)).toBe(map.get(name));
        }
      }),
    );
  });

  it('findHeader throws like decodeHeaderMap, even after the key it looks for', () => {
    const bytes = Buffer.concat([raw('service', 'x'), raw('broken').subarray(0, 6)]);
    expect(codeOf(() => findHeader(bytes, 0, bytes.length, 'service'))).toBe('ERR_CODEC_BAD_HEADER');
  });
});
