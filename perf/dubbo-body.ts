// Hessian 2 bodies for the Dubbo load, built once with hessian.js (as the codec tests do).
import { createRequire } from 'node:module';

interface HessianEncoder {
  write(value: unknown): HessianEncoder;
  get(): Buffer;
}
const hessian = createRequire(import.meta.url)('hessian.js') as { EncoderV2: new () => HessianEncoder };

function hessianValues(...values: unknown[]): Buffer {
  const encoder = new hessian.EncoderV2();
  for (const value of values) encoder.write(value);
  return Buffer.from(encoder.get());
}

export const DUBBO_BENCH_SERVICE = 'com.example.bench.EchoService';

/** A request body: `echo(String)` on `service` 1.0.0 with a `size`-character argument. */
export function dubboRequestBody(service: string, size: number): Buffer {
  const attachments = { $class: 'java.util.HashMap', $: { path: service, interface: service, version: '1.0.0', timeout: '3000' } };
  return hessianValues('2.0.2', service, '1.0.0', 'echo', 'Ljava/lang/String;', 'x'.repeat(size), attachments);
}

/** RESPONSE_VALUE (int 1) followed by a `size`-character string: what `echo` returns. */
export function dubboResponseBody(size: number): Buffer {
  return hessianValues(1, 'x'.repeat(size));
}
