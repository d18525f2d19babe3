// MurmurHash3 x86_32 over a string's UTF-16 code units, i.e. exactly murmur3_32 of the string's
// UTF-16LE bytes, without encoding it: no allocation, integer-only, so a per-request hash of a
// header value stays cheap. Deterministic across workers and restarts (no random seed), which
// consistent hashing needs: every worker must map a key to the same host.

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function mixBlock(k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

export function murmur3String(s: string, seed: number): number {
  let h = seed | 0;
  const units = s.length;
  const pairs = units & ~1;
  for (let i = 0; i < pairs; i += 2) {
    h ^= mixBlock(s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  if (pairs !== units) h ^= mixBlock(s.charCodeAt(pairs));
  h ^= units * 2;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
