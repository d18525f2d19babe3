// Header conditions of a rule, ANDed (MOSN pkg/router/configutility.go). In HTTP rules the
// name "method" tests the request method; in RPC rules it is an ordinary header (Dubbo sets one).
// A single RPC condition `service` = ".*" matches any non-empty service (MOSN's fast match).
import type { HeaderMatcherConfig, RouteRequest } from '../api/router.ts';

export const HeaderTest = {
  exact: 0,
  regex: 1,
  present: 2,
  nonEmpty: 3,
} as const;
export type HeaderTest = (typeof HeaderTest)[keyof typeof HeaderTest];

export class HeaderCondition {
  readonly name: string;
  readonly test: HeaderTest;
  readonly value: string;
  readonly regex: RegExp | undefined;
  /** compare with the request method instead of a header */
  readonly method: boolean;

  constructor(config: HeaderMatcherConfig, test: HeaderTest, method: boolean) {
    this.name = config.name;
    this.test = test;
    this.value = config.value;
    // never the g or y flag: those make test() stateful
    this.regex = config.regex === undefined ? undefined : new RegExp(config.regex.js, 'u');
    this.method = method;
  }

  matches(req: RouteRequest): boolean {
    const v = this.method ? req.method : req.header(this.name);
    if (v === undefined) return false;
    switch (this.test) {
      case HeaderTest.exact:
        return v === this.value;
      case HeaderTest.regex:
        return this.regex!.test(v);
      case HeaderTest.present:
        return true;
      default:
        return v !== '';
    }
  }
}

const TEST_OF = { exact: HeaderTest.exact, regex: HeaderTest.regex, present: HeaderTest.present } as const;

export function compileHeaderConditions(configs: readonly HeaderMatcherConfig[], http: boolean): HeaderCondition[] {
  if (!http && configs.length === 1) {
    const only = configs[0]!;
    if (only.name === 'service' && only.kind !== 'present' && only.value === '.*') {
      return [new HeaderCondition(only, HeaderTest.nonEmpty, false)];
    }
  }
  return configs.map((c) => new HeaderCondition(c, TEST_OF[c.kind], http && c.name === 'method'));
}

export function headersMatch(conditions: readonly HeaderCondition[], req: RouteRequest): boolean {
  for (let i = 0; i < conditions.length; i++) {
    if (!conditions[i]!.matches(req)) return false;
  }
  return true;
}
