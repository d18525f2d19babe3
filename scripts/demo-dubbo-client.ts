// A Dubbo consumer for the sidecar demo in README: dubbo2.js calls
// org.example.GreetingService through the egress sidecar (default 127.0.0.1:20882), then 100
// calls at once on its one connection; exits 0 when every answer is right.
//   node scripts/demo-dubbo-client.ts [host:port]
import { createRequire } from 'node:module';

type Call = (...args: unknown[]) => Promise<{ res: unknown; err: Error | null }>;
interface DirectlyDubboLike {
  proxyService(param: { dubboInterface: string; version: string; methods: Record<string, (...a: string[]) => unknown[]> }): Record<string, Call>;
}

const load = createRequire(import.meta.url);
const { DirectlyDubbo, java } = load('dubbo2.js') as {
  DirectlyDubbo: { from(props: { dubboAddress: string; dubboVersion: string; dubboInvokeTimeout: number }): DirectlyDubboLike };
  java: { String(value: string): unknown };
};

const target = process.argv[2] ?? '127.0.0.1:20882';
const dubbo = DirectlyDubbo.from({ dubboAddress: target, dubboVersion: '2.0.2', dubboInvokeTimeout: 5 });
const greeting = dubbo.proxyService({
  dubboInterface: 'org.example.GreetingService',
  version: '0.0.0',
  methods: { greet: (name: string) => [java.String(name)] },
});

const first = await greeting.greet!('mosn-ts');
if (first.err) {
  console.error(`FAILED: ${first.err.message}`);
  process.exit(1);
}
console.log(first.res);
const all = await Promise.all(Array.from({ length: 100 }, (_, i) => greeting.greet!(`n${i}`)));
const wrong = all.filter((r, i) => r.err !== null || !String(r.res).startsWith(`greetings n${i},`)).length;
console.log(wrong === 0 ? 'ok: 100 concurrent calls answered correctly' : `FAILED: ${wrong} wrong answers`);
// dubbo2.js keeps its socket and heartbeat timer alive: leave explicitly
process.exit(wrong === 0 ? 0 : 1);
