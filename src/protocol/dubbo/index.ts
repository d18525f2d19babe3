// Dubbo ("dubbo"). Also exports the frame, builders and tables fake peers and tests use.
export { createDubboCodec, dubboCodec, DubboCodec, type DubboCodecOptions } from './codec.ts';
export { DubboFlag, DubboHeader, DubboStatus } from './constants.ts';
export { encodeDubboFrame, type DubboFrameFields } from './encoder.ts';
export { DubboFrame } from './frame.ts';
export { dubboArgumentCount } from './request-body.ts';
