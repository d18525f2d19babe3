// Reads Prometheus text exposition: samples by name and labels, for exact-delta assertions.

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parsePrometheus(text: string): PromSample[] {
  const out: PromSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_s, c: string) => (c === 'n' ? '\n' : c));
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** The value of the one sample with exactly these labels (0 if absent). */
export function sampleValue(samples: PromSample[], name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels);
  const hit = samples.find(
    (s) => s.name === name && Object.keys(s.labels).length === want.length && want.every(([k, v]) => s.labels[k] === v),
  );
  return hit?.value ?? 0;
}

export async function scrape(port: number, path = '/metrics'): Promise<PromSample[]> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  if (res.status !== 200) throw new Error(`scrape ${path} -> ${res.status}`);
  return parsePrometheus(await res.text());
}

/** Scrapes until `name{labels}` satisfies `test` (bounded); resolves with that scrape. */
export async function waitForSample(
  port: number,
  name: string,
  labels: Record<string, string>,
  test: (value: number) => boolean,
  timeoutMs = 10_000,
): Promise<PromSample[]> {
  const deadline = Date.now() + timeoutMs;
  let last: PromSample[] = [];
  for (let i = 0; i < 2_000 && Date.now() <= deadline; i++) {
    last = await scrape(port);
    if (test(sampleValue(last, name, labels))) return last;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${name}${JSON.stringify(labels)} = ${sampleValue(last, name, labels)} never passed the check within ${timeoutMs} ms`);
}
