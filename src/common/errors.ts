// Errors with stable codes. Callers branch on `code`, never on message text.

/** A config document problem: `path` is the JSON path of the offending value. */
export class ConfigError extends Error {
  readonly code = 'ERR_CONFIG';
  readonly path: string;
  readonly reason: string;
  constructor(path: string, reason: string) {
    super(path ? `${path}: ${reason}` : reason);
    this.name = 'ConfigError';
    this.path = path;
    this.reason = reason;
  }
}

export type CodecErrorCode =
  | 'ERR_CODEC_BAD_MAGIC'
  | 'ERR_CODEC_BAD_TYPE'
  | 'ERR_CODEC_BAD_CMD'
  | 'ERR_CODEC_FRAME_TOO_LARGE'
  | 'ERR_CODEC_BAD_HEADER'
  | 'ERR_CODEC_BAD_BODY'
  | 'ERR_CODEC_UNSUPPORTED';

/** Bytes from a peer that cannot be framed. The connection they came on is closed. */
export class CodecError extends Error {
  readonly code: CodecErrorCode;
  constructor(code: CodecErrorCode, message: string) {
    super(message);
    this.name = 'CodecError';
    this.code = code;
  }
}

/** Failure to start: a port in use, a bad config; printed as one line, exit code 1. */
export class StartupError extends Error {
  readonly code = 'ERR_STARTUP';
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
