// A SOFARPC (Bolt) client for the sidecar demo in README: calls com.example.HelloService:1.0
// through the egress sidecar (default 127.0.0.1:12220), then 100 calls at once on its one
// connection; exits 0 when every answer is right.
//   node scripts/demo-bolt-client.ts [host:port]
import { createRequire } from 'node:module';

interface Consumer {
  ready(): Promise<void>;
  invoke(method: string, args: unknown[], options?: { responseTimeout?: number }): Promise<unknown>;
}
interface RpcClientLike {
  createConsumer(options: { interfaceName: string; serverHost: string }): Consumer;
  close(): Promise<void>;
}

const load = createRequire(import.meta.url);
const { RpcClient } = (load('sofa-rpc-node') as { client: { RpcClient: new (options: object) => RpcClientLike } }).client;

const target = process.argv[2] ?? '127.0.0.1:12220';
const logger = { info() {}, warn() {}, error: console.error, debug() {} };
const client = new RpcClient({ logger });
const hello = client.createConsumer({ interfaceName: 'com.example.HelloService', serverHost: target });
await hello.ready();

console.log(await hello.invoke('sayHello', ['mosn-ts'], { responseTimeout: 5000 }));
const sums = await Promise.all(Array.from({ length: 100 }, (_, i) => hello.invoke('plus', [i, 1000], { responseTimeout: 5000 })));
const wrong = sums.filter((s, i) => s !== i + 1000).length;
console.log(wrong === 0 ? 'ok: 100 concurrent calls answered correctly' : `FAILED: ${wrong} wrong answers`);
await client.close();
// sofa-rpc-node keeps a reconnect timer alive: leave explicitly
process.exit(wrong === 0 ? 0 : 1);
