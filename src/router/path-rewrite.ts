// prefix_rewrite and regex_rewrite (MOSN base_rule.go finalizePathHeader). The proxy sets the
// original path in ORIGINAL_PATH_HEADER whenever a rewrite applies. MOSN rewrites only on HTTP
// rules, and prefix_rewrite replaces the rule's matcher text when the path starts with it: the
// prefix, the exact path (compared case-sensitively here), or — a MOSN quirk kept as-is — the
// regex source, which is rarely a literal prefix, so regex rules should use regex_rewrite.
import type { PathRewriter, Route, RouteRuleConfig } from '../api/router.ts';

export const ORIGINAL_PATH_HEADER = 'x-mosn-original-path';

class PrefixRewriter implements PathRewriter {
  readonly #matched: string;
  readonly #replacement: string;
  constructor(matched: string, replacement: string) {
    this.#matched = matched;
    this.#replacement = replacement;
  }
  rewrite(path: string): string | undefined {
    if (path === '' || !path.startsWith(this.#matched)) return undefined;
    return this.#replacement + path.slice(this.#matched.length);
  }
}

/** A part of a Go replacement template: literal text, a group number, or a group name. */
type TemplatePart = string | number | { readonly name: string };

/** Go's Regexp.Expand template: `$1`, `${1}`, `$name`, `${name}`, `$$`; a malformed `$` stays. */
export function parseGoTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) {
      literal += template.slice(i);
      break;
    }
    literal += template.slice(i, dollar);
    const rest = template.slice(dollar + 1);
    if (rest.startsWith('$')) {
      literal += '$';
      i = dollar + 2;
      continue;
    }
    const m = /^\{([A-Za-z0-9_]+)\}/.exec(rest) ?? /^([A-Za-z0-9_]+)/.exec(rest);
    if (!m) {
      literal += '$';
      i = dollar + 1;
      continue;
    }
    if (literal !== '') parts.push(literal);
    literal = '';
    const name = m[1]!;
    parts.push(/^\d+$/.test(name) ? Number(name) : { name });
    i = dollar + 1 + m[0].length;
  }
  if (literal !== '') parts.push(literal);
  return parts;
}

class RegexRewriter implements PathRewriter {
  readonly #regex: RegExp;
  readonly #parts: readonly TemplatePart[];
  constructor(js: string, substitution: string) {
    this.#regex = new RegExp(js, 'gu');
    this.#parts = parseGoTemplate(substitution);
  }

  #expand(m: RegExpExecArray): string {
    let out = '';
    for (const part of this.#parts) {
      if (typeof part === 'string') out += part;
      else if (typeof part === 'number') out += m[part] ?? '';
      else out += m.groups?.[part.name] ?? '';
    }
    return out;
  }

  /** Go's ReplaceAllString: an empty match right after a previous match is not replaced. */
  rewrite(path: string): string | undefined {
    if (path === '') return undefined;
    const re = this.#regex;
    let out = '';
    let lastEnd = 0;
    let searchPos = 0;
    while (searchPos <= path.length) {
      re.lastIndex = searchPos;
      const m = re.exec(path);
      if (m === null) break;
      const start = m.index;
      const end = start + m[0].length;
      out += path.slice(lastEnd, start);
      if (end > lastEnd || start === 0) out += this.#expand(m);
      lastEnd = end;
      // advance at least one code point
      const width = path.codePointAt(searchPos)! > 0xffff ? 2 : 1;
      searchPos = searchPos + width > end ? searchPos + width : end;
    }
    out += path.slice(lastEnd);
    return out === path ? undefined : out;
  }
}

export function compilePathRewrite(rule: RouteRuleConfig): PathRewriter | undefined {
  const p = rule.match.path;
  if (p.kind === 'rpc') return undefined;
  if (rule.prefixRewrite !== undefined) {
    const matched = p.kind === 'regex' ? p.regex.re2 : p.value;
    return new PrefixRewriter(matched, rule.prefixRewrite);
  }
  if (rule.regexRewrite !== undefined) return new RegexRewriter(rule.regexRewrite.pattern.js, rule.regexRewrite.substitution);
  return undefined;
}

/** The rewritten path, or undefined when the route leaves this path alone. */
export function rewritePath(route: Route, path: string): string | undefined {
  return route.pathRewrite?.rewrite(path);
}
