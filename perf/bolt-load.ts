// Pipelined Bolt v1 load: `--connections` x `--inflight` requests in flight, each a SofaRequest
// frame with a `service` header (the route key) and `--size` bytes of content.
//   node perf/bolt-load.ts --port P [--connections 4] [--inflight 64] [--duration 10] [--size 1024] [--service S]
import {
  BoltCmdCode,
  BoltCmdType,
  BoltStatus,
  boltCodec,
  boltV1Layout,
  encodeBoltFrame,
  SofaClassName,
} from '../src/protocol/bolt/index.ts';
import { parseLoadArgs, runRpcLoad } from './rpc-load-driver.ts';

const options = parseLoadArgs(process.argv.slice(2), 'com.example.bench.EchoService:1.0');

const template = encodeBoltFrame(boltV1Layout, {
  type: BoltCmdType.request,
  cmdCode: BoltCmdCode.request,
  requestId: 1,
  timeout: 3000,
  className: SofaClassName.request,
  headers: { service: options.service, sofa_head_method_name: 'echo' },
  content: Buffer.alloc(options.size, 'x'),
});

await runRpcLoad(
  {
    name: 'bolt',
    template,
    writeId: (buf, at, id) => buf.writeUInt32BE(id, at + boltV1Layout.idAt),
    newDecoder: () => boltCodec.newDecoder({ maxFrameSize: 16 * 1024 * 1024 }),
    okStatus: BoltStatus.success,
  },
  options,
);
