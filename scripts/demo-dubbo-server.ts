// A Dubbo provider for the sidecar demo in README: apache-dubbo-service serving
// org.example.GreetingService (version 0.0.0) on 127.0.0.1 (port from argv, default 20880),
// with a stub registry (no ZooKeeper).
//   node scripts/demo-dubbo-server.ts [port]
import { createRequire } from 'node:module';
import net from 'node:net';

interface DubboServiceLike {
  port: number;
  server: net.Server;
  retry: { reset(): void };
  handleSocketRequest: (socket: net.Socket) => void;
  registerServices(): Promise<void>;
  listen: () => Promise<void>;
  ready(): Promise<void>;
  close(): Promise<void>;
}

const load = createRequire(import.meta.url);
const { DubboService } = load('apache-dubbo-service') as { DubboService: new (props: object) => DubboServiceLike };

const port = Number(process.argv[2] ?? 20880);
const registry = { ready: async () => {}, registerServices: async () => {}, getClient: () => ({}), close() {} };
const service = new DubboService({
  registry,
  services: {
    greeting: {
      dubboInterface: 'org.example.GreetingService',
      methods: {
        greet(name: string) {
          return `greetings ${name}, from the dubbo app on port ${port}`;
        },
      },
    },
  },
});
// DubboService listens on every interface at a random port (on nextTick): replace that first
service.listen = async () => {
  service.port = port;
  service.server = net.createServer(service.handleSocketRequest).listen(port, '127.0.0.1', () => {
    service.retry.reset();
    void service.registerServices();
  });
};
await service.ready();
console.log(`demo dubbo server listening on 127.0.0.1:${port}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void service.close().then(() => process.exit(0));
  });
}
