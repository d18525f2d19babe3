import { describe, expect, it } from 'vitest';
import { murmur3String } from '../../../../src/upstream/lb/string-hash.ts';

// Published murmur3_32 vectors for byte strings; a string of code units hashes as its
// UTF-16LE bytes, so '\u6161' is the bytes "aa".
describe('murmur3String', () => {
  it.each([
    ['', 0, 0x00000000],
    ['', 1, 0x514e28b7],
    ['', 0xffffffff, 0x81f16f39],
    ['\0\0', 0, 0x2362f9de],
    ['\u6161\u6161', 0x9747b28c, 0x5a97808a],
    ['\u6161', 0x9747b28c, 0x5d211726],
    ['\u6261\u6463', 0x9747b28c, 0xf0478627],
  ])('%j with seed %d', (input, seed, expected) => {
    expect(murmur3String(input, seed)).toBe(expected);
  });

  it('is unsigned and depends on the seed', () => {
    const a = murmur3String('10.0.0.1:8080', 1);
    const b = murmur3String('10.0.0.1:8080', 2);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(a).not.toBe(b);
  });
});
