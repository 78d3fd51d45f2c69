export { decodePprof, isGzip, DEFAULT_MAX_DECOMPRESSED_BYTES } from './decode';
export type { DecodeOptions, PprofMapping, PprofProfile } from './decode';
export { ProfileDecodeError } from './errors';
export type { ProfileDecodeErrorCode } from './errors';
