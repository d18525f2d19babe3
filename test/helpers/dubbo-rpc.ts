// Real Dubbo peers: apache-dubbo-service as the provider (bound to 127.0.0.1, with a stub
// registry: no ZooKeeper) and dubbo2.js's DirectlyDubbo as the consumer.
import { createRequire } from 'node:module';
import net from 'node:net';
import { java } from './java-values.ts';

const load = createRequire(import.meta.url);

type Methods = Record<string, (...args: never[]) => unknown>;

interface DubboServiceInstance {
  port: number;
  server: net.Server;
  retry: { reset(): void };
  handleSocketRequest: (socket: net.Socket) => void;
  registerServices(): Promise<void>;
  listen: () => Promise<void>;
  ready(): Promise<void>;
}

interface DubboSettingInstance {
  match(rule: string, meta: { group: string; version: string }): DubboSettingInstance;
}

const provider = load('apache-dubbo-service') as {
  DubboService: new (props: object) => DubboServiceInstance;
};
const { DubboSetting } = load('apache-dubbo-service/lib/dubbo-setting.js') as {
  DubboSetting: new () => DubboSettingInstance;
};

export interface DubboProviderService {
  dubboInterface: string;
  /** default version "0.0.0" and group "" (apache-dubbo-service without a setting) */
  version?: string;
  group?: string;
  methods: Methods;
}

export interface RunningDubboProvider {
  port: number;
  /** connections the provider accepted */
  readonly connections: number;
  close(): Promise<void>;
}

const stubRegistry = {
  ready: async () => {},
  registerServices: async () => {},
  getClient: () => ({}),
  close() {},
};

/**
 * apache-dubbo-service listens on every interface at a random port on nextTick; its `listen` is
 * replaced right after construction so it binds loopback on `port` instead.
 */
export async function startDubboProvider(services: DubboProviderService[], port = 0): Promise<RunningDubboProvider> {
  const setting = new DubboSetting();
  const byName: Record<string, { dubboInterface: string; methods: Methods }> = {};
  services.forEach((s, i) => {
    byName[`s${i}`] = { dubboInterface: s.dubboInterface, methods: s.methods };
  });
  // DubboSetting keys by interface: services sharing an interface share version/group
  for (const s of services) setting.match(s.dubboInterface, { group: s.group ?? '', version: s.version ?? '0.0.0' });
  const svc = new provider.DubboService({ registry: stubRegistry, services: byName, dubboSetting: setting });
  const state = { connections: 0, port };
  const sockets = new Set<net.Socket>();
  svc.listen = async () => {
    svc.server = net
      .createServer((socket) => {
        state.connections++;
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => socket.destroy());
        svc.handleSocketRequest(socket);
      })
      .listen(port, '127.0.0.1', () => {
        svc.port = state.port = (svc.server.address() as net.AddressInfo).port;
        svc.retry.reset();
        void svc.registerServices();
      });
  };
  await svc.ready();
  return {
    port: state.port,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        svc.server.close(() => resolve());
      }),
  };
}

interface SocketWorker {
  _retry: number;
  _socket: net.Socket;
  _heartBeatTimer: NodeJS.Timeout | undefined;
  isAvaliable: boolean;
}

interface DirectlyDubboInstance {
  _socketWorker: SocketWorker;
  proxyService(param: { dubboInterface: string; version: string; group?: string; timeout?: number; methods: Methods }): Record<
    string,
    (...args: unknown[]) => Promise<{ res: unknown; err: Error | null }>
  >;
}

const { DirectlyDubbo } = load('dubbo2.js') as {
  DirectlyDubbo: { from(props: { dubboAddress: string; dubboVersion: string; dubboInvokeTimeout: number }): DirectlyDubboInstance };
};

export interface DubboConsumer {
  /** calls `method` on `dubboInterface` with string arguments; resolves with dubbo2.js's {res, err} */
  call(service: { dubboInterface: string; version?: string; group?: string }, method: string, ...args: string[]): Promise<{ res: unknown; err: Error | null }>;
  close(): void;
}

/** One DirectlyDubbo: one connection to `port`, many requests in flight on it. */
export function dubboConsumer(port: number, invokeTimeoutS = 10): DubboConsumer {
  const dubbo = DirectlyDubbo.from({ dubboAddress: `127.0.0.1:${port}`, dubboVersion: '2.0.2', dubboInvokeTimeout: invokeTimeoutS });
  const proxies = new Map<string, ReturnType<DirectlyDubboInstance['proxyService']>>();
  return {
    call(service, method, ...args) {
      const key = `${service.dubboInterface}|${service.version ?? '0.0.0'}|${service.group ?? ''}|${method}`;
      let p = proxies.get(key);
      if (p === undefined) {
        p = dubbo.proxyService({
          dubboInterface: service.dubboInterface,
          version: service.version ?? '0.0.0',
          ...(service.group ? { group: service.group } : {}),
          methods: { [method]: (...a: string[]) => a.map((x) => java.String(x)) },
        });
        proxies.set(key, p);
      }
      return p[method]!(...args);
    },
    close() {
      // DirectlyDubbo has no close: stop its reconnect loop and heartbeat, then drop the socket
      const w = dubbo._socketWorker;
      w._retry = 0;
      if (w._heartBeatTimer !== undefined) clearInterval(w._heartBeatTimer);
      w._socket.destroy();
    },
  };
}
