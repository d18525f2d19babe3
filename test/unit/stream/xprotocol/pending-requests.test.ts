import { describe, expect, it } from 'vitest';
import type { RpcResponseSink } from '../../../../src/stream/xprotocol/client-connection.ts';
import { PendingRequests } from '../../../../src/stream/xprotocol/pending-requests.ts';

function sink(name: string): RpcResponseSink & { name: string } {
  return { name, onRpcResponse: () => undefined, onRpcFailure: () => undefined };
}

describe('PendingRequests', () => {
  it('finds requests by id, including ids far apart that share a slot', () => {
    const p = new PendingRequests();
    const a = sink('a');
    const b = sink('b');
    p.set(1, a);
    p.set(1 + 256, b); // same slot in the initial 256-slot ring: it must grow
    expect(p.get(1)).toBe(a);
    expect(p.get(257)).toBe(b);
    expect(p.size).toBe(2);
    p.delete(1);
    expect(p.get(1)).toBeUndefined();
    expect(p.has(257)).toBe(true);
    expect(p.size).toBe(1);
  });

  it('a response for an id no longer pending finds nothing, even where its slot is reused', () => {
    const p = new PendingRequests();
    p.set(5, sink('x'));
    p.delete(5);
    p.set(5 + 4096, sink('y'));
    expect(p.get(5)).toBeUndefined();
  });

  it('handles ids beyond 2^32 (Dubbo) and thousands in flight; drain returns every one', () => {
    const p = new PendingRequests();
    const base = 2 ** 40;
    for (let i = 0; i < 5000; i++) p.set(base + i, sink(String(i)));
    expect(p.size).toBe(5000);
    for (let i = 0; i < 5000; i += 7) expect((p.get(base + i) as unknown as { name: string }).name).toBe(String(i));
    expect(p.drain()).toHaveLength(5000);
    expect(p.size).toBe(0);
    expect(p.get(base)).toBeUndefined();
  });
});
