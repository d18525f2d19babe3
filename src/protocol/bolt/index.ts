// SOFARPC Bolt v1 ("bolt"). Also exports the frame, builders and tables that the boltv2 codec,
// fake peers and tests use.
export { boltCodec, BoltCodec, type BoltCodecSpec } from './codec.ts';
export { BoltCmdCode, BoltCmdType, BoltProtocolCode, BoltStatus, SofaClassName } from './constants.ts';
export { encodeBoltFrame, type BoltFrameFields } from './encoder.ts';
export { BoltFrame } from './frame.ts';
export { decodeHeaderMap } from './header-map.ts';
export { boltV1Layout, boltV2Layout, type BoltLayout } from './layout.ts';
