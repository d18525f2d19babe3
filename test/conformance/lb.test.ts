import { describe, expect, it } from 'vitest';
import { builtinLoadBalancers } from '../../src/upstream/lb/index.ts';
import { describeLbConformance } from './lb.case.ts';

describe('builtinLoadBalancers', () => {
  it('registers each lb_type once', () => {
    const names = builtinLoadBalancers.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([
      'LB_LEAST_CONNECTION',
      'LB_LEAST_REQUEST',
      'LB_MAGLEV',
      'LB_RANDOM',
      'LB_ROUNDROBIN',
      'LB_WEIGHTED_ROUNDROBIN',
    ]);
  });
});

for (const factory of builtinLoadBalancers) describeLbConformance(factory);
