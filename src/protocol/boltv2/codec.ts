// SOFARPC Bolt v2 ("boltv2"): the 24-byte request / 22-byte response header with `ver1` and
// `switch`. Decoder, frame, header map and encoder are the Bolt ones (src/protocol/bolt), which
// read both dialects; this codec makes up its own frames (heartbeats, error replies to v2
// requests) in v2 with ver1 = 1 and no CRC. CRC32 trailers (ver1 = 2 with the CRC switch bit,
// as sofa-bolt defines them) are framed, verified and rewritten after an id patch; MOSN
// ignores them. No GoAway: MOSN's boltv2 has none.
import type { RpcCodec } from '../../api/rpc-codec.ts';
import { BoltCodec } from '../bolt/codec.ts';
import { boltV2Layout } from '../bolt/layout.ts';
import { matchBoltV2 } from './matcher.ts';
import { boltV2StatusOf } from './status-mapping.ts';

export const boltv2Codec: RpcCodec = new BoltCodec({
  name: 'boltv2',
  layout: boltV2Layout,
  match: matchBoltV2,
  mapStatus: boltV2StatusOf,
  goAway: false,
});
