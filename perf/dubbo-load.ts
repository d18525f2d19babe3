// Pipelined Dubbo load: `--connections` x `--inflight` two-way Hessian 2 requests in flight,
// each an `echo(String)` call on `--service` (the route key) with a `--size`-character argument.
//   node perf/dubbo-load.ts --port P [--connections 4] [--inflight 64] [--duration 10] [--size 1024] [--service S]
import { dubboCodec, DubboFlag, DubboStatus, encodeDubboFrame } from '../src/protocol/dubbo/index.ts';
import { DUBBO_BENCH_SERVICE, dubboRequestBody } from './dubbo-body.ts';
import { parseLoadArgs, runRpcLoad } from './rpc-load-driver.ts';

const HESSIAN2 = 2;
const options = parseLoadArgs(process.argv.slice(2), DUBBO_BENCH_SERVICE);

const template = encodeDubboFrame({
  flag: DubboFlag.request | DubboFlag.twoWay | HESSIAN2,
  requestId: 1,
  body: dubboRequestBody(options.service, options.size),
});

await runRpcLoad(
  {
    name: 'dubbo',
    template,
    // ids stay below 2^31: the high word of the 64-bit id is 0
    writeId: (buf, at, id) => {
      buf.writeUInt32BE(0, at + 4);
      buf.writeUInt32BE(id, at + 8);
    },
    newDecoder: () => dubboCodec.newDecoder({ maxFrameSize: 16 * 1024 * 1024 }),
    okStatus: DubboStatus.ok,
  },
  options,
);
