import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CodecError } from '../../../../src/common/errors.ts';
import {
  dubboArgumentCount,
  readRequestHeaders,
  readRequestPrefix,
} from '../../../../src/protocol/dubbo/request-body.ts';
import { PrefixMemo } from '../../../../src/protocol/dubbo/prefix-memo.ts';

interface HessianEncoder {
  write(value: unknown): HessianEncoder;
  get(): Buffer;
}
const hessian = createRequire(import.meta.url)('hessian.js') as { EncoderV2: new () => HessianEncoder };

function body(...values: unknown[]): Buffer {
  const encoder = new hessian.EncoderV2();
  for (const value of values) encoder.write(value);
  return Buffer.from(encoder.get());
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

const hashMap = (map: Record<string, unknown>) => ({ $class: 'java.util.HashMap', $: map });

describe('dubbo request body', () => {
  it('counts arguments from the parameter-types descriptor like MOSN getArgumentCount', () => {
    expect(dubboArgumentCount('')).toBe(0);
    expect(dubboArgumentCount('Ljava/lang/String;I')).toBe(2);
    expect(dubboArgumentCount('[Ljava/lang/String;[I')).toBe(2);
    expect(dubboArgumentCount('VZBCDFIJS')).toBe(9);
    expect(dubboArgumentCount('Ljava/util/Map;Lcom/demo/Req;J')).toBe(3);
    expect(dubboArgumentCount('LI;Lcom/SJ;')).toBe(2);
  });

  it('reads the prefix; a null version is ""', () => {
    expect(readRequestPrefix(body('2.0.2', 'com.demo.S', null, 'm'))).toEqual({
      dubbo: '2.0.2',
      service: 'com.demo.S',
      version: '',
      method: 'm',
    });
  });

  it('reads the prefix without touching what follows it', () => {
    const prefixThenJunk = Buffer.concat([body('2.0.2', 'com.demo.S', '1.0', 'm'), Buffer.from([0xff, 0xfe])]);
    expect(readRequestPrefix(prefixThenJunk).method).toBe('m');
    expect(codeOf(() => readRequestHeaders(prefixThenJunk, false))).toBe('ERR_CODEC_BAD_BODY');
  });

  it('gives each body its own prefix when bodies repeat, differ by one value, or are cut short', () => {
    // Prefixes are remembered by their bytes: the same bytes again, a neighbour that differs
    // only in the method, and a cut-off copy must each decode as hessian.js would.
    const a = Buffer.concat([body('2.0.2', 'com.demo.Memo', '1.0', 'get'), body('Ljava/lang/String;', 'x')]);
    const b = Buffer.concat([body('2.0.2', 'com.demo.Memo', '1.0', 'getAll'), body('', 'y')]);
    for (let round = 0; round < 3; round++) {
      expect(readRequestPrefix(a).method).toBe('get');
      expect(readRequestPrefix(b).method).toBe('getAll');
    }
    const aPrefix = body('2.0.2', 'com.demo.Memo', '1.0', 'get');
    expect(codeOf(() => readRequestPrefix(aPrefix.subarray(0, aPrefix.length - 1)))).toBe('ERR_CODEC_BAD_BODY');
  });

  it('forgets the least recently used prefix beyond its capacity', () => {
    const memo = new PrefixMemo(2);
    const prefix = (method: string) => ({ dubbo: '2.0.2', service: 'S', version: '', method });
    memo.remember(body('2.0.2', 'S', null, 'a'), prefix('a'));
    memo.remember(body('2.0.2', 'S', null, 'b'), prefix('b'));
    expect(memo.find(body('2.0.2', 'S', null, 'a'))?.method).toBe('a'); // a is now the most recent
    memo.remember(body('2.0.2', 'S', null, 'c'), prefix('c'));
    expect(memo.find(body('2.0.2', 'S', null, 'b'))).toBeUndefined();
    expect(memo.find(body('2.0.2', 'S', null, 'a'))?.method).toBe('a');
    expect(memo.find(body('2.0.2', 'S', null, 'c'))?.method).toBe('c');
  });

  it('refuses bodies whose leading values are not strings, or are not Hessian', () => {
    expect(codeOf(() => readRequestPrefix(body('2.0.2', 42, '1.0', 'm')))).toBe('ERR_CODEC_BAD_BODY');
    expect(codeOf(() => readRequestPrefix(body('2.0.2', 'S', 7, 'm')))).toBe('ERR_CODEC_BAD_BODY');
    expect(codeOf(() => readRequestPrefix(Buffer.from([0xff, 0x00, 0x01])))).toBe('ERR_CODEC_BAD_BODY');
    expect(codeOf(() => readRequestPrefix(body('2.0.2', 'com.demo.S').subarray(0, 8)))).toBe('ERR_CODEC_BAD_BODY');
  });

  it('skips the arguments and adds string attachments the prefix lacks', () => {
    const bytes = body(
      '2.0.2',
      'com.demo.S',
      '1.0',
      'm',
      'Ljava/lang/String;[ILjava/util/Map;',
      'arg',
      [1, 2, 3],
      hashMap({ nested: hashMap({ group: 'not-this-one' }) }),
      hashMap({ group: 'blue', version: '9.9', interface: 'com.demo.I', timeout: 3000 }),
    );
    expect(Object.fromEntries(readRequestHeaders(bytes, false))).toEqual({
      dubbo: '2.0.2',
      service: 'com.demo.S',
      version: '1.0',
      method: 'm',
      group: 'blue',
      interface: 'com.demo.I',
    });
  });

  it('with attachmentsOverride, attachments win and interface becomes service (MOSN ingress_dubbo)', () => {
    const bytes = body('2.0.2', 'path/S', null, 'm', '', hashMap({ version: '9.9', interface: 'com.demo.I' }));
    expect(Object.fromEntries(readRequestHeaders(bytes, true))).toEqual({
      dubbo: '2.0.2',
      service: 'com.demo.I',
      version: '9.9',
      method: 'm',
      interface: 'com.demo.I',
    });
  });

  it('accepts dubbox bodies (an int before the descriptor) and a null attachments map', () => {
    const bytes = body('2.0.2', 'com.demo.S', '1.0', 'm', -1, 'I', 5, null);
    expect(readRequestHeaders(bytes, false).get('method')).toBe('m');
  });

  it('refuses a body cut inside the arguments or the attachments', () => {
    const whole = body('2.0.2', 'com.demo.S', '1.0', 'm', 'I', 5, hashMap({ group: 'blue' }));
    for (const cut of [whole.length - 1, whole.length - 6, 30]) {
      expect(codeOf(() => readRequestHeaders(whole.subarray(0, cut), false))).toBe('ERR_CODEC_BAD_BODY');
    }
  });
});
