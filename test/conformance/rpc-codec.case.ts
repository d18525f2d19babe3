// One suite for every RpcCodec (src/api/rpc-codec.ts), run by rpc-codec.test.ts with samples
// each codec provides: framing over any chunking, size limits before buffering, refusal of
// foreign bytes, heartbeats, error replies and request-id patching.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RpcCodec, RpcFrame } from '../../src/api/rpc-codec.ts';
import { ProxyStatus } from '../../src/api/status.ts';
import { CodecError, type CodecErrorCode } from '../../src/common/errors.ts';

export interface RpcCodecCase {
  readonly codec: RpcCodec;
  /** a two-way request carrying `requestHeaders` */
  request(id: number): Buffer;
  readonly requestHeaders: Readonly<Record<string, string>>;
  /** a successful response */
  response(id: number): Buffer;
  oneway(id: number): Buffer;
  /** the fixed header of a request whose body is `bodyLength` bytes, without the body */
  headerDeclaring(bodyLength: number): Buffer;
  /** byte range of the request id in request() and response() frames */
  readonly idRange: readonly [number, number];
  /** starts of frames that must be refused */
  readonly invalid: ReadonlyArray<{ readonly name: string; readonly bytes: Buffer; readonly code: CodecErrorCode }>;
  /** the first bytes of some other protocol */
  readonly foreign: Buffer;
  readonly maxRequestId: number;
}

const MAX = 16 * 1024 * 1024;

export function decodeChunks(codec: RpcCodec, chunks: readonly Buffer[], maxFrameSize = MAX): RpcFrame[] {
  const decoder = codec.newDecoder({ maxFrameSize });
  const frames: RpcFrame[] = [];
  for (const chunk of chunks) decoder.feed(chunk, (frame) => frames.push(frame));
  expect(decoder.buffered).toBe(0);
  return frames;
}

export function decodeOne(codec: RpcCodec, bytes: Buffer): RpcFrame {
  const frames = decodeChunks(codec, [bytes]);
  expect(frames).toHaveLength(1);
  return frames[0]!;
}

function summary(frame: RpcFrame): object {
  return {
    raw: frame.raw.toString('hex'),
    kind: frame.kind,
    requestId: frame.requestId,
    heartbeat: frame.heartbeat,
    status: frame.status,
  };
}

function codecErrorOf(run: () => void): CodecError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(CodecError);
    return err as CodecError;
  }
  throw new Error('expected a CodecError');
}

function bytesDiffering(a: Buffer, b: Buffer): number[] {
  expect(a.length).toBe(b.length);
  const at: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) at.push(i);
  return at;
}

export function runRpcCodecCase(c: RpcCodecCase): void {
  const { codec } = c;

  describe(`rpc codec conformance: ${codec.name}`, () => {
    const heartbeat = codec.heartbeat(40);
    const stream = [c.request(1), c.response(2), c.oneway(3), heartbeat, c.request(5)];
    const joined = Buffer.concat(stream);
    const reference = stream.map((bytes) => summary(decodeOne(codec, bytes)));

    it('match: more on no bytes, match on its own frames, no on foreign bytes', () => {
      expect(codec.match(Buffer.alloc(0))).toBe('more');
      const request = c.request(1);
      for (let n = 1; n <= 16; n++) expect(['more', 'match']).toContain(codec.match(request.subarray(0, n)));
      expect(codec.match(request)).toBe('match');
      expect(codec.match(c.response(1))).toBe('match');
      expect(codec.match(c.foreign)).toBe('no');
    });

    it('decodes a request with its routing headers', () => {
      const frame = decodeOne(codec, c.request(7));
      expect(frame.protocol).toBe(codec.name);
      expect(frame.kind).toBe('request');
      expect(frame.requestId).toBe(7);
      expect(frame.heartbeat).toBe(false);
      expect(frame.goAway).toBe(false);
      for (const [name, value] of Object.entries(c.requestHeaders)) {
        expect(frame.header(name)).toBe(value);
        expect(frame.headers().get(name)).toBe(value);
      }
      expect(frame.header('no-such-header')).toBeUndefined();
    });

    it('decodes responses and one-way requests', () => {
      const response = decodeOne(codec, c.response(8));
      expect(response.kind).toBe('response');
      expect(response.requestId).toBe(8);
      expect(codec.httpStatusOf(response)).toBe(200);
      expect(decodeOne(codec, c.oneway(9)).kind).toBe('oneway');
    });

    it('hands out frames inside one chunk as views of it (zero copy)', () => {
      const frames = decodeChunks(codec, [joined]);
      let offset = 0;
      frames.forEach((frame, i) => {
        expect(frame.raw.buffer).toBe(joined.buffer);
        expect(frame.raw.byteOffset).toBe(joined.byteOffset + offset);
        offset += stream[i]!.length;
      });
    });

    it('yields the same frames for the stream split at every offset', () => {
      for (let at = 0; at <= joined.length; at++) {
        const frames = decodeChunks(codec, [joined.subarray(0, at), joined.subarray(at)]);
        expect(frames.map(summary)).toEqual(reference);
      }
    });

    it('yields the same frames byte by byte, holding only the partial frame', () => {
      const decoder = codec.newDecoder({ maxFrameSize: MAX });
      const frames: RpcFrame[] = [];
      let frameStart = 0;
      for (let i = 0; i < joined.length; i++) {
        decoder.feed(joined.subarray(i, i + 1), (frame) => {
          frames.push(frame);
          frameStart = i + 1;
        });
        expect(decoder.buffered).toBe(i + 1 - frameStart);
      }
      expect(frames.map(summary)).toEqual(reference);
    });

    it('yields the same frames for random chunkings', () => {
      fc.assert(
        fc.property(fc.uniqueArray(fc.integer({ min: 1, max: joined.length - 1 }), { maxLength: 12 }), (cuts) => {
          const points = [0, ...cuts.sort((a, b) => a - b), joined.length];
          const chunks = points.slice(1).map((end, i) => joined.subarray(points[i], end));
          expect(decodeChunks(codec, chunks).map(summary)).toEqual(reference);
        }),
        { numRuns: 200 },
      );
    });

    it('refuses a frame above maxFrameSize from its header, before the body arrives', () => {
      const request = c.request(1);
      const decoder = codec.newDecoder({ maxFrameSize: request.length - 1 });
      const header = c.headerDeclaring(request.length);
      expect(codecErrorOf(() => decoder.feed(header, () => {})).code).toBe('ERR_CODEC_FRAME_TOO_LARGE');
      const exact = codec.newDecoder({ maxFrameSize: request.length });
      let count = 0;
      exact.feed(request, () => count++);
      expect(count).toBe(1);
    });

    it('refuses a 2 GiB length field at once, with any chunking', () => {
      const header = c.headerDeclaring(2 ** 31);
      expect(codecErrorOf(() => decodeChunks(codec, [header])).code).toBe('ERR_CODEC_FRAME_TOO_LARGE');
      const decoder = codec.newDecoder({ maxFrameSize: MAX });
      const error = codecErrorOf(() => {
        for (let i = 0; i < header.length; i++) decoder.feed(header.subarray(i, i + 1), () => {});
      });
      expect(error.code).toBe('ERR_CODEC_FRAME_TOO_LARGE');
    });

    it('never allocates what a length field claims: buffers only received bytes', () => {
      const decoder = codec.newDecoder({ maxFrameSize: 2 ** 32 });
      const before = process.memoryUsage().arrayBuffers;
      decoder.feed(c.headerDeclaring(2 ** 31), () => expect.fail('no frame yet'));
      for (let i = 0; i < 16; i++) decoder.feed(Buffer.alloc(4096), () => expect.fail('no frame yet'));
      expect(decoder.buffered).toBe(c.headerDeclaring(0).length + 64 * 1024);
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
    });

    for (const sample of c.invalid) {
      it(`refuses ${sample.name} with ${sample.code}, whole or byte by byte`, () => {
        expect(codecErrorOf(() => decodeChunks(codec, [sample.bytes])).code).toBe(sample.code);
        const decoder = codec.newDecoder({ maxFrameSize: MAX });
        const error = codecErrorOf(() => {
          for (let i = 0; i < sample.bytes.length; i++) decoder.feed(sample.bytes.subarray(i, i + 1), () => {});
        });
        expect(error.code).toBe(sample.code);
      });
    }

    it('builds heartbeats and answers them with the same id', () => {
      const ping = decodeOne(codec, codec.heartbeat(12345));
      expect(ping.heartbeat).toBe(true);
      expect(ping.kind).toBe('request');
      expect(ping.requestId).toBe(12345);
      const pong = decodeOne(codec, codec.heartbeatReply(ping));
      expect(pong.heartbeat).toBe(true);
      expect(pong.kind).toBe('response');
      expect(pong.requestId).toBe(12345);
      expect(codec.httpStatusOf(pong)).toBe(200);
    });

    it('error responses are responses with the mapped status and the request id', () => {
      const request = decodeOne(codec, c.request(77));
      for (const status of Object.values(ProxyStatus)) {
        const reply = decodeOne(codec, codec.errorResponse(request, status, 'no route'));
        expect(reply.kind).toBe('response');
        expect(reply.heartbeat).toBe(false);
        expect(reply.status).toBe(codec.mapStatus(status));
        const [start, end] = c.idRange;
        expect(reply.raw.subarray(start, end)).toEqual(request.raw.subarray(start, end));
      }
      const timeout = decodeOne(codec, codec.errorResponse(request, ProxyStatus.timeout, ''));
      expect(codec.httpStatusOf(timeout)).toBe(504);
      const noRoute = decodeOne(codec, codec.errorResponse(request, ProxyStatus.noRoute, ''));
      expect(codec.httpStatusOf(noRoute)).not.toBe(200);
    });

    it('setRequestId patches exactly the id bytes', () => {
      const original = c.request(1);
      for (const id of [2, 0xfffe, 0x1_0000, c.maxRequestId]) {
        const frame = decodeOne(codec, Buffer.from(original));
        codec.setRequestId(frame, id);
        expect(frame.requestId).toBe(id);
        const [start, end] = c.idRange;
        for (const at of bytesDiffering(original, frame.raw)) expect(at >= start && at < end).toBe(true);
        expect(decodeOne(codec, frame.raw).requestId).toBe(id);
      }
      expect(codec.maxRequestId).toBe(c.maxRequestId);
    });

    it('copyRequestId restores a request id into a response and changes nothing else', () => {
      const request = decodeOne(codec, c.request(4242));
      const [start, end] = c.idRange;
      // bytes around the id that differ from the response's, so a wider copy would show
      request.raw.fill(0xee, 1, start);
      request.raw.fill(0xee, end);
      const original = c.response(99);
      const response = decodeOne(codec, Buffer.from(original));
      codec.copyRequestId(request, response);
      expect(response.requestId).toBe(4242);
      for (const at of bytesDiffering(original, response.raw)) expect(at >= start && at < end).toBe(true);
    });
  });
}
