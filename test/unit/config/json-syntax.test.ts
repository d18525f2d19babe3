import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonSyntaxErrorOffset } from '../../../src/config/json-syntax.ts';

function v8(text: string): { ok: boolean; position: number | undefined } {
  try {
    JSON.parse(text);
    return { ok: true, position: undefined };
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    return { ok: false, position: m ? Number(m[1]) : undefined };
  }
}

describe('jsonSyntaxErrorOffset', () => {
  it.each([
    ['{"admin": {"x": }}', 16],
    ['{"a": [1, 2, 3,]}', 15],
    ['{"a": "x", "b": tru}', 19],
    ['{"c": [}', 7],
    ['{"a": 1,}', 8],
    ['{"a" 1}', 5],
    ['{"a": 01}', 7],
    ['{"a": -}', 7],
    ['{"a": "\\q"}', 8],
    ['{"a": "\\u12G4"}', 11],
    ['"abc', 4],
    ['1.e5', 2],
    ['1e+', 3],
    ['{"a": 1} x', 9],
    ['', 0],
    ['{"a": [', 7],
  ])('%j breaks at %d', (text, offset) => {
    expect(jsonSyntaxErrorOffset(text)).toBe(offset);
  });

  it('accepts what JSON.parse accepts', () => {
    for (const t of ['{}', '[]', ' {"a": [1e5, -0.5, 1E-3, "\\u00e9\\n\\"", true, false, null, {}]} ', '"x"', '0', '-0']) {
      expect(jsonSyntaxErrorOffset(t)).toBeUndefined();
    }
  });

  it('agrees with JSON.parse on validity, and on the position when V8 gives one', () => {
    const mutated = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom('', '}', ']', ',', ':', '"', 'x', '-', '0', ' ', '\n', '{', '['))
      .map(([doc, at, insert]) => {
        const i = doc.length === 0 ? 0 : at % (doc.length + 1);
        return doc.slice(0, i) + insert + doc.slice(i + (insert === '' ? 1 : 0));
      });
    fc.assert(
      fc.property(mutated, (text) => {
        const ours = jsonSyntaxErrorOffset(text);
        const theirs = v8(text);
        expect(ours === undefined).toBe(theirs.ok);
        if (theirs.position !== undefined) expect(ours).toBe(theirs.position);
      }),
      { numRuns: 2_000 },
    );
  });
});
