// Request/response header changes of a route (MOSN pkg/router/header_parser.go). MOSN applies
// the route's, then the virtual host's, then the router config's, each level adds before
// removes; so on a conflict the outer level wins (the reverse of Envoy's default).
import type { HeaderMutationConfig, HeaderOp, HeaderToAdd, HeaderWriter, VariableSource } from '../api/router.ts';

/** Flattens levels, innermost first, into one list in application order. */
export function headerOps(levels: readonly HeaderMutationConfig[]): HeaderOp[] {
  const ops: HeaderOp[] = [];
  for (const level of levels) {
    for (const add of level.add) ops.push({ op: 'set', ...add });
    for (const lowerName of level.remove) ops.push({ op: 'remove', lowerName });
  }
  return ops;
}

/** `%name%` values give the variable's value; an unknown variable keeps the text (MOSN). */
export function expandHeaderValue(h: Pick<HeaderToAdd, 'text' | 'variable'>, vars: VariableSource): string {
  if (h.variable === undefined) return h.text;
  return vars.variable(h.variable) ?? h.text;
}

export function applyHeaderOps(ops: readonly HeaderOp[], headers: HeaderWriter, vars: VariableSource): void {
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (op.op === 'remove') {
      headers.remove(op.lowerName);
      continue;
    }
    let value = expandHeaderValue(op, vars);
    if (op.append) {
      const existing = headers.get(op.lowerName);
      if (existing !== undefined && existing !== '') value = `${existing},${value}`;
    }
    headers.set(op.name, op.lowerName, value);
  }
}
