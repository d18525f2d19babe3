// The TCP server behind perf/bolt-echo.ts and perf/dubbo-echo.ts: decodes requests with our own
// codec and writes one answer per request frame; answers to one 'data' event go out in one
// writev (cork/uncork), so the upstream stays cheap on the core it shares with the generator.
import { createServer, type Socket } from 'node:net';
import type { RpcDecoder, RpcFrame } from '../src/api/rpc-codec.ts';

export interface EchoProtocol {
  readonly name: string;
  newDecoder(): RpcDecoder;
  /** the answer to a request or heartbeat; undefined for frames that need none */
  answer(frame: RpcFrame): Buffer | undefined;
}

export function startEchoServer(protocol: EchoProtocol, port: number): void {
  const server = createServer({ noDelay: true }, (socket: Socket) => {
    const decoder = protocol.newDecoder();
    const onFrame = (frame: RpcFrame): void => {
      const reply = protocol.answer(frame);
      if (reply !== undefined) socket.write(reply);
    };
    socket.on('data', (chunk: Buffer) => {
      socket.cork();
      try {
        decoder.feed(chunk, onFrame);
      } catch (err) {
        console.error(`${protocol.name} echo: closing a connection on bad bytes: ${(err as Error).message}`);
        socket.destroy();
        return;
      }
      socket.uncork();
    });
    socket.on('error', () => socket.destroy());
  });
  server.listen({ host: '127.0.0.1', port, backlog: 4096 }, () => console.log(`${protocol.name} echo on 127.0.0.1:${port}`));
  process.on('SIGTERM', () => process.exit(0));
}

export function portArg(argv: string[]): number {
  const port = Number(argv[0]);
  if (!Number.isInteger(port) || port <= 0) throw new Error('usage: <port>');
  return port;
}
