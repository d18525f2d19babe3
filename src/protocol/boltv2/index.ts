// SOFARPC Bolt v2 ("boltv2").
export { boltv2Codec } from './codec.ts';
