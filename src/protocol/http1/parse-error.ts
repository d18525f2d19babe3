// Why a message was rejected, with the status a downstream client gets (400, 413, 414, 431,
// 501, 505) — for upstream responses the proxy answers 502 instead. The connection is closed.
export type HttpParseErrorCode =
  | 'bad_request_line'
  | 'bad_version'
  | 'bad_header_name'
  | 'bad_header_value'
  | 'bare_lf'
  | 'obs_fold'
  | 'missing_host'
  | 'duplicate_host'
  | 'bad_content_length'
  | 'duplicate_content_length'
  | 'cl_and_te'
  | 'te_not_chunked'
  | 'te_unsupported'
  | 'te_in_http10'
  | 'bad_chunk'
  | 'chunk_too_large'
  | 'bad_trailer'
  | 'headers_too_large'
  | 'too_many_headers'
  | 'uri_too_long'
  | 'bad_status_line'
  | 'expectation'
  | 'body_too_large';

export class HttpParseError extends Error {
  readonly code: HttpParseErrorCode;
  /** what a downstream client is answered */
  readonly status: number;
  constructor(code: HttpParseErrorCode, status: number, message: string) {
    super(message);
    this.name = 'HttpParseError';
    this.code = code;
    this.status = status;
  }
}
