// Bolt echo upstream: answers each request with a SofaResponse frame carrying the request's id
// and content, and each heartbeat with its ack.   node perf/bolt-echo.ts <port>
import type { RpcFrame } from '../src/api/rpc-codec.ts';
import {
  BoltCmdCode,
  BoltCmdType,
  BoltFrame,
  BoltStatus,
  boltCodec,
  encodeBoltFrame,
  SofaClassName,
} from '../src/protocol/bolt/index.ts';
import { portArg, startEchoServer } from './rpc-echo-server.ts';

function answer(frame: RpcFrame): Buffer | undefined {
  if (frame.kind !== 'request' || !(frame instanceof BoltFrame)) return undefined;
  if (frame.heartbeat) return boltCodec.heartbeatReply(frame);
  return encodeBoltFrame(frame.layout, {
    type: BoltCmdType.response,
    cmdCode: BoltCmdCode.response,
    requestId: frame.requestId,
    codec: frame.codecType,
    status: BoltStatus.success,
    className: SofaClassName.response,
    content: frame.content,
  });
}

startEchoServer(
  { name: 'bolt', newDecoder: () => boltCodec.newDecoder({ maxFrameSize: 16 * 1024 * 1024 }), answer },
  portArg(process.argv.slice(2)),
);
