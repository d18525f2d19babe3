// Dubbo echo upstream: answers each two-way request with an OK response carrying the request's
// 8 id bytes and a 1 KiB `echo` result (built once), and each heartbeat with its reply.
//   node perf/dubbo-echo.ts <port> [result-size]
import type { RpcFrame } from '../src/api/rpc-codec.ts';
import { dubboCodec, DubboStatus, encodeDubboFrame } from '../src/protocol/dubbo/index.ts';
import { dubboResponseBody } from './dubbo-body.ts';
import { portArg, startEchoServer } from './rpc-echo-server.ts';

const HESSIAN2 = 2;
const ID_AT = 4;
const body = dubboResponseBody(Number(process.argv[3] ?? 1024));

function answer(frame: RpcFrame): Buffer | undefined {
  if (frame.kind !== 'request') return undefined;
  if (frame.heartbeat) return dubboCodec.heartbeatReply(frame);
  return encodeDubboFrame({ flag: HESSIAN2, status: DubboStatus.ok, requestId: frame.raw.subarray(ID_AT, ID_AT + 8), body });
}

startEchoServer(
  { name: 'dubbo', newDecoder: () => dubboCodec.newDecoder({ maxFrameSize: 16 * 1024 * 1024 }), answer },
  portArg(process.argv.slice(2)),
);
