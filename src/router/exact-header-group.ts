// Consecutive rules that each test only `header == value` on the same header (an RPC table with
// one rule per service) become one Map lookup. First match wins is kept: within such a run only
// a rule with the request's exact value can match, and the Map keeps the first of those.
import type { Route, RouteRequest } from '../api/router.ts';
import type { RuleMatcher } from './route-matcher.ts';

/** One step of a virtual host's rule list: a rule, or a group of rules. */
export interface RouteStep {
  match(req: RouteRequest): Route | undefined;
}

export class ExactHeaderGroup implements RouteStep {
  readonly #name: string;
  readonly #routes: Map<string, Route>;

  constructor(name: string, routes: Map<string, Route>) {
    this.#name = name;
    this.#routes = routes;
  }

  match(req: RouteRequest): Route | undefined {
    const v = req.header(this.#name);
    return v === undefined ? undefined : this.#routes.get(v);
  }
}

const MIN_GROUP = 4;

export function groupRules(rules: readonly RuleMatcher[]): RouteStep[] {
  const steps: RouteStep[] = [];
  let i = 0;
  while (i < rules.length) {
    const key = rules[i]!.exactHeaderOnly();
    let j = i + 1;
    if (key !== undefined) {
      while (j < rules.length && rules[j]!.exactHeaderOnly()?.name === key.name) j++;
    }
    if (key === undefined || j - i < MIN_GROUP) {
      for (; i < j; i++) steps.push(rules[i]!);
      continue;
    }
    const routes = new Map<string, Route>();
    for (; i < j; i++) {
      const value = rules[i]!.exactHeaderOnly()!.value;
      if (!routes.has(value)) routes.set(value, rules[i]!.route);
    }
    steps.push(new ExactHeaderGroup(key.name, routes));
  }
  return steps;
}
