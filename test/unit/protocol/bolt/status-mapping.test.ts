import { describe, expect, it } from 'vitest';
import { ProxyStatus } from '../../../../src/api/status.ts';
import { boltStatusOf, httpStatusOfBolt } from '../../../../src/protocol/bolt/status-mapping.ts';

describe('bolt status mapping (MOSN bolt/protocol.go, bolt/mapping.go)', () => {
  it('maps proxy statuses to Bolt respstatus', () => {
    const expected: Array<[ProxyStatus, number]> = [
      [ProxyStatus.success, 0],
      [ProxyStatus.noRoute, 6],
      [ProxyStatus.noHealthyUpstream, 6],
      [ProxyStatus.upstreamOverflow, 4],
      [ProxyStatus.codecError, 9],
      [ProxyStatus.deserialError, 18],
      [ProxyStatus.timeout, 7],
      [ProxyStatus.permissionDenied, 2],
      [ProxyStatus.internalError, 3],
      [ProxyStatus.unknown, 3],
      [ProxyStatus.limitExceeded, 3],
    ];
    for (const [status, bolt] of expected) expect(boltStatusOf(status)).toBe(bolt);
  });

  it('maps Bolt respstatus to HTTP-like codes', () => {
    expect([0, 4, 7, 16, 1, 2, 3, 6, 9, 18].map(httpStatusOfBolt)).toEqual([200, 503, 504, 502, 500, 500, 500, 500, 500, 500]);
  });
});
