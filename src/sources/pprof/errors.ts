/** Why a byte buffer could not be read as a pprof profile. */
export type ProfileDecodeErrorCode =
  /** No bytes at all. */
  | 'empty'
  /** The data ends in the middle of a gzip stream or protobuf message. */
  | 'truncated'
  /** Gzip or protobuf structure is broken, or references point nowhere. */
  | 'corrupt'
  /** The bytes are neither gzip nor a profile.proto message. */
  | 'not-a-profile'
  /** Decompressed size above the configured cap. */
  | 'too-large'
  /** Decoding ran past its time budget and was stopped. */
  | 'too-slow';

export class ProfileDecodeError extends Error {
  readonly code: ProfileDecodeErrorCode;

  constructor(code: ProfileDecodeErrorCode, message: string) {
    super(message);
    this.name = 'ProfileDecodeError';
    this.code = code;
  }
}
