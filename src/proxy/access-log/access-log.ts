// One configured access log (listener access_logs[]): a compiled format and its writer.
import { compileFormat, renderFormat, type FormatPart, type VariableLookup } from './format.ts';
import { AccessLogWriter } from './writer.ts';

export class AccessLog {
  readonly #parts: FormatPart[];
  readonly #writer: AccessLogWriter;

  constructor(format: string, writer: AccessLogWriter) {
    this.#parts = compileFormat(format);
    this.#writer = writer;
  }

  log(source: VariableLookup): void {
    this.#writer.append(renderFormat(this.#parts, source));
  }
}

/** One writer per destination in a worker, so logs sharing a file share its batching. */
export class AccessLogWriters {
  readonly #byPath = new Map<string, AccessLogWriter>();

  get(path: string): AccessLogWriter {
    let w = this.#byPath.get(path);
    if (w === undefined) this.#byPath.set(path, (w = new AccessLogWriter(path)));
    return w;
  }
}
