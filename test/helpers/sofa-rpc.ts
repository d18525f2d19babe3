// Real SOFARPC peers (sofa-rpc-node, which speaks Bolt through sofa-bolt-node): a server bound
// to 127.0.0.1 only, and a client calling it directly (serverHost, no registry).
import { createRequire } from 'node:module';
import net, { type AddressInfo, type Server } from 'node:net';

const load = createRequire(import.meta.url);

type ServiceMethods = Record<string, (...args: never[]) => unknown>;

interface SofaServer {
  publishPort: number;
  _servers: Server[];
  addService(info: { interfaceName: string; version?: string }, delegate: ServiceMethods): void;
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface SofaConsumer {
  ready(): Promise<void>;
  invoke(method: string, args: unknown[], options?: { responseTimeout?: number }): Promise<unknown>;
}

interface SofaClient {
  createConsumer(options: { interfaceName: string; version?: string; serverHost: string; responseTimeout?: number }): SofaConsumer;
  close(): Promise<void>;
}

const rpc = load('sofa-rpc-node') as {
  server: { RpcServer: new (options: object) => SofaServer };
  client: { RpcClient: new (options: object) => SofaClient };
};

/** sofa-rpc-node wants a logger; the tests do not want its output. */
export const quietLogger = {
  info() {},
  warn() {},
  error() {},
  debug() {},
};

/** RpcServer binds every interface (`server.listen(port)`); this one binds loopback. */
const LoopbackRpcServer = class extends (rpc.server.RpcServer as new (options: object) => SofaServer & {
  _handleSocket(socket: unknown): void;
}) {
  _startServer(port: number): Server {
    const server = net.createServer();
    server.once('error', (err) => (this as unknown as { emit(e: string, v: unknown): void }).emit('error', err));
    server.on('connection', (socket) => this._handleSocket(socket));
    server.listen(port, '127.0.0.1', () => {
      if (port === 0) this.publishPort = (server.address() as AddressInfo).port;
    });
    return server;
  }
};

export interface SofaService {
  interfaceName: string;
  /** default "1.0", as in sofa-rpc-node; the client's `service` header is `interfaceName:version` */
  version?: string;
  methods: ServiceMethods;
}

export interface RunningSofaServer {
  port: number;
  close(): Promise<void>;
}

export async function startSofaServer(services: SofaService[], port = 0): Promise<RunningSofaServer> {
  const server = new LoopbackRpcServer({ logger: quietLogger, port });
  for (const s of services) server.addService({ interfaceName: s.interfaceName, ...(s.version ? { version: s.version } : {}) }, s.methods);
  await server.start();
  const actual = (server._servers[0]!.address() as AddressInfo).port;
  return {
    port: actual,
    close: async () => {
      await server.close();
    },
  };
}

export interface SofaCaller {
  consumer(interfaceName: string, port: number, version?: string): Promise<SofaConsumer>;
  close(): Promise<void>;
}

/** One RpcClient: one Bolt connection per server address, shared by all its consumers. */
export function sofaClient(): SofaCaller {
  const client = new rpc.client.RpcClient({ logger: quietLogger });
  return {
    async consumer(interfaceName, port, version) {
      const c = client.createConsumer({ interfaceName, serverHost: `127.0.0.1:${port}`, ...(version ? { version } : {}) });
      await c.ready();
      return c;
    },
    close: () => client.close(),
  };
}

interface SofaProtocol {
  requestEncode(id: number, req: object, options: object): Buffer;
}
interface SofaStreamDecoder {
  on(event: string, listener: (value: unknown) => void): void;
  write(chunk: Buffer): void;
}
const sofaProtocol = load('sofa-bolt-node/lib/protocol') as SofaProtocol;
const SofaDecoder = load('sofa-bolt-node/lib/decoder') as new (options: object) => SofaStreamDecoder;

/** A SOFARPC request frame (Bolt v1, Hessian 2) exactly as sofa-rpc-node's client writes it. */
export function sofaRequestFrame(
  id: number,
  call: { interfaceName: string; version?: string; method: string; args: unknown[]; timeout?: number },
  dialect: { protocolType: 'bolt' } | { protocolType: 'bolt2'; boltVersion: number; crcEnable: boolean } = { protocolType: 'bolt' },
): Buffer {
  return Buffer.from(
    sofaProtocol.requestEncode(
      id,
      {
        serverSignature: `${call.interfaceName}:${call.version ?? '1.0'}`,
        methodName: call.method,
        args: call.args,
        timeout: call.timeout ?? 3000,
      },
      { codecType: 'hessian2', ...dialect },
    ),
  );
}

export interface SofaResponsePacket {
  packetId: number;
  packetType: string;
  options?: { protocolType?: string; crcEnable?: boolean };
  data?: { error?: Error | null; appResponse?: unknown } | null;
}

/** What sofa-bolt-node's decoder makes of response bytes. */
export function decodeSofaResponses(bytes: Buffer): SofaResponsePacket[] {
  const decoder = new SofaDecoder({});
  const packets: SofaResponsePacket[] = [];
  for (const type of ['response', 'heartbeat_ack']) decoder.on(type, (p) => packets.push(p as SofaResponsePacket));
  decoder.on('error', () => {});
  decoder.write(bytes);
  return packets;
}

interface SofaHeartbeatProtocol {
  heartbeatEncode(id: number, hb: object, options: object): Buffer;
}

/** A Bolt v1 heartbeat exactly as sofa-bolt-node (sofa-rpc-node's client) writes it. */
export function sofaHeartbeatFrame(id: number): Buffer {
  return Buffer.from((sofaProtocol as unknown as SofaHeartbeatProtocol).heartbeatEncode(id, {}, { protocolType: 'bolt', codecType: 'hessian2' }));
}
