// MOSN access log formats: text with %variable% tokens (reference/mosn.md §8.4). Compiled once
// per listener into literal and variable parts; a missing value prints "-".

export type FormatPart = { literal: string } | { variable: string };

export function compileFormat(format: string): FormatPart[] {
  const parts: FormatPart[] = [];
  const re = /%([^%\s]+)%/g;
  let last = 0;
  for (const m of format.matchAll(re)) {
    if (m.index > last) parts.push({ literal: format.slice(last, m.index) });
    parts.push({ variable: m[1]! });
    last = m.index + m[0].length;
  }
  if (last < format.length) parts.push({ literal: format.slice(last) });
  return parts;
}

export interface VariableLookup {
  variable(name: string): string | undefined;
}

export function renderFormat(parts: readonly FormatPart[], source: VariableLookup): string {
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if ('literal' in p) out += p.literal;
    else out += source.variable(p.variable) ?? '-';
  }
  return out;
}

/** Go's time.Duration.String() for a duration in milliseconds (MOSN prints durations so). */
export function goDurationString(ms: number): string {
  if (ms <= 0) return '0s';
  const ns = Math.round(ms * 1e6);
  if (ns < 1000) return `${ns}ns`;
  if (ns < 1e6) return `${trim(ns / 1e3)}µs`;
  if (ns < 1e9) return `${trim(ns / 1e6)}ms`;
  let s = ns / 1e9;
  let out = '';
  const h = Math.floor(s / 3600);
  if (h) out += `${h}h`;
  s -= h * 3600;
  const m = Math.floor(s / 60);
  if (h || m) out += `${m}m`;
  s -= m * 60;
  return `${out}${trim(s)}s`;
}

function trim(v: number): string {
  return String(Number(v.toFixed(6)));
}

/** MOSN's start_time layout "2006/01/02 15:04:05.000", local time. */
export function mosnTime(epochMs: number): string {
  const d = new Date(epochMs);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}/${p2(d.getMonth() + 1)}/${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}
