// The one door to hessian.js (CommonJS, no types): the few calls the Dubbo codec makes.
import { createRequire } from 'node:module';

export interface HessianReader {
  /** the next value; throws on bytes that are not Hessian 2 */
  read(): unknown;
  /** bytes consumed so far */
  position(): number;
}

interface HessianModule {
  DecoderV2: new (buf: Buffer) => HessianReader;
  encode(value: unknown, version: '2.0'): Buffer;
}

const hessian = createRequire(import.meta.url)('hessian.js') as HessianModule;

export function newHessianReader(body: Buffer): HessianReader {
  return new hessian.DecoderV2(body);
}

/** Hessian 2 bytes of `value`, copied out of hessian.js's shared encoder buffer. */
export function encodeHessian(value: unknown): Buffer {
  return Buffer.from(hessian.encode(value, '2.0'));
}
