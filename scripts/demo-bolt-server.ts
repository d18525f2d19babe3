// A SOFARPC (Bolt) application server for the sidecar demo in README: sofa-rpc-node serving
// com.example.HelloService:1.0 on 127.0.0.1 (port from argv, default 12200).
//   node scripts/demo-bolt-server.ts [port]
import { createRequire } from 'node:module';
import net from 'node:net';

const load = createRequire(import.meta.url);
const { RpcServer } = (load('sofa-rpc-node') as { server: { RpcServer: new (options: object) => RpcServerLike } }).server;

interface RpcServerLike {
  addService(info: { interfaceName: string }, delegate: object): void;
  start(): Promise<void>;
  close(): Promise<void>;
  _handleSocket(socket: net.Socket): void;
}

const port = Number(process.argv[2] ?? 12200);
const logger = { info() {}, warn: console.warn, error: console.error, debug() {} };

// RpcServer listens on every interface; the demo stays on loopback.
class LoopbackRpcServer extends (RpcServer as new (options: object) => RpcServerLike) {
  _startServer(p: number): net.Server {
    const server = net.createServer((socket) => this._handleSocket(socket));
    server.listen(p, '127.0.0.1', () => console.log(`demo bolt server listening on 127.0.0.1:${p}`));
    return server;
  }
}

const server = new LoopbackRpcServer({ logger, port });
server.addService(
  { interfaceName: 'com.example.HelloService' },
  {
    async sayHello(name: string) {
      return `hello ${name}, from the bolt app on port ${port}`;
    },
    async plus(a: number, b: number) {
      return a + b;
    },
  },
);
await server.start();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
