// Go regexp (RE2 syntax) -> JavaScript RegExp source, for MOSN route regexes. Compile the result
// with flags "u". What differs between the two engines is translated so a pattern means the same
// in both: inline flags `(?i)` (scoped JS modifier groups), `(?P<name>`, `\A` `\z` `\Q…\E` `\a`
// octal and `\x{…}` escapes, `\s` (RE2: ASCII space only), `\pL`/`\p{Greek}`, POSIX classes
// `[[:alpha:]]`, a leading `]` in a class and literal `{` `}` `]`. Syntax RE2 rejects
// (lookaround, backreferences) is rejected here too, so a config stays valid for MOSN.
// Known residual differences: `.` and multi-line `^`/`$` also stop at \r, U+2028 and U+2029 in JS
// (request paths and header values cannot contain them), and `\S` inside a class is Unicode.
import type { ConfigNode } from '../api/config-node.ts';
import type { RegexSource } from '../api/router.ts';

export class GoRegexpError extends Error {}

const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/');
const MAX_REPEAT = 1000;
const NUL = '\\u{0}';

// Go's general categories; any other \p name is a script (JS needs `Script=` for those).
const GENERAL_CATEGORIES = new Set(
  'C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs Any'.split(' '),
);

// ASCII POSIX classes as the body of a JS class.
const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: `${NUL}-\\u{7F}`,
  blank: '\\t ',
  cntrl: `${NUL}-\\u{1F}\\u{7F}`,
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-\\u{60}\\{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const REPEAT = /^\{(\d+)(,(\d*))?\}/;
const FLAG_GROUP = /^\(\?([imsU]*(?:-[imsU]*)?)([:)])/;
const GROUP_NAME = /^[A-Za-z0-9_]+$/;

function isAlnum(c: string): boolean {
  return /^[0-9A-Za-z]$/.test(c);
}

function codePoint(hex: string, base: number): string {
  const n = parseInt(hex, base);
  if (!Number.isFinite(n) || n > 0x10ffff) throw new GoRegexpError(`invalid escape value ${hex}`);
  return `\\u{${n.toString(16)}}`;
}

function literalChar(c: string, inClass: boolean): string {
  if (JS_SYNTAX.has(c) || (inClass && c === '-')) return '\\' + c;
  return c;
}

class Translator {
  readonly #p: string;
  #i = 0;
  #out = '';
  /** for each open group (and the top level): inline-flag groups to close at its end or at `|` */
  readonly #scopes: string[][] = [[]];

  constructor(pattern: string) {
    this.#p = pattern;
  }

  run(): string {
    const p = this.#p;
    while (this.#i < p.length) {
      const c = p[this.#i]!;
      if (c === '\\') this.#out += this.#escape(false);
      else if (c === '[') this.#class();
      else if (c === '(') this.#openGroup();
      else if (c === ')') this.#closeGroup();
      else if (c === '|') this.#alternation();
      else if (c === '{') this.#brace();
      else {
        this.#out += c === '}' || c === ']' ? '\\' + c : c;
        this.#i++;
      }
    }
    if (this.#scopes.length !== 1) throw new GoRegexpError('missing closing )');
    this.#out += ')'.repeat(this.#scopes[0]!.length);
    return this.#out;
  }

  #top(): string[] {
    return this.#scopes[this.#scopes.length - 1]!;
  }

  #openGroup(): void {
    const rest = this.#p.slice(this.#i);
    if (!rest.startsWith('(?')) {
      this.#out += '(';
      this.#scopes.push([]);
      this.#i++;
      return;
    }
    const named = /^\(\?P?<([^>]*)>/.exec(rest);
    if (named && !rest.startsWith('(?<=') && !rest.startsWith('(?<!')) {
      if (!GROUP_NAME.test(named[1]!)) throw new GoRegexpError(`invalid group name "${named[1]}"`);
      this.#out += `(?<${named[1]}>`;
      this.#scopes.push([]);
      this.#i += named[0].length;
      return;
    }
    const flags = FLAG_GROUP.exec(rest);
    if (!flags) throw new GoRegexpError('unsupported group syntax (RE2 has no lookaround or backreferences)');
    const spec = flags[1]!;
    if (spec.includes('U')) throw new GoRegexpError('the (?U) ungreedy flag is not supported');
    this.#i += flags[0].length;
    if (flags[2] === ':') {
      this.#out += `(?${spec}:`;
      this.#scopes.push([]);
      return;
    }
    // (?flags) applies to the rest of the enclosing group: a modifier group closed there.
    if (spec === '' || spec.endsWith('-')) throw new GoRegexpError('missing flags in (?)');
    this.#out += `(?${spec}:`;
    this.#top().push(spec);
  }

  #closeGroup(): void {
    if (this.#scopes.length === 1) throw new GoRegexpError('unexpected )');
    this.#out += ')'.repeat(this.#scopes.pop()!.length) + ')';
    this.#i++;
  }

  #alternation(): void {
    const pending = this.#top();
    this.#out += ')'.repeat(pending.length) + '|' + pending.map((f) => `(?${f}:`).join('');
    this.#i++;
  }

  #brace(): void {
    const m = REPEAT.exec(this.#p.slice(this.#i));
    if (!m) {
      this.#out += '\\{'; // Go: a `{` that starts no repeat is a literal
      this.#i++;
      return;
    }
    const min = Number(m[1]);
    const max = m[3] === undefined || m[3] === '' ? min : Number(m[3]);
    if (min > MAX_REPEAT || max > MAX_REPEAT) throw new GoRegexpError(`repeat count above ${MAX_REPEAT}`);
    this.#out += m[0];
    this.#i += m[0].length;
  }

  #class(): void {
    const p = this.#p;
    let out = '[';
    this.#i++;
    if (p[this.#i] === '^') {
      out += '^';
      this.#i++;
    }
    let first = true;
    for (;;) {
      if (this.#i >= p.length) throw new GoRegexpError('missing closing ]');
      const c = p[this.#i]!;
      if (c === ']' && !first) break;
      first = false;
      if (c === '[' && p[this.#i + 1] === ':') {
        const end = p.indexOf(':]', this.#i + 2);
        const name = end < 0 ? undefined : p.slice(this.#i + 2, end);
        const body = name === undefined ? undefined : POSIX[name];
        if (body !== undefined) {
          out += body;
          this.#i = end + 2;
          continue;
        }
        if (name !== undefined && name.startsWith('^')) throw new GoRegexpError(`negated POSIX class [:${name}:] is not supported`);
        if (name !== undefined && /^[a-z]+$/.test(name)) throw new GoRegexpError(`invalid POSIX class [:${name}:]`);
      }
      if (c === '\\') {
        out += this.#escape(true);
        continue;
      }
      out += c === '[' || c === ']' || c === '\\' ? '\\' + c : c;
      this.#i++;
    }
    this.#i++; // ]
    this.#out += out + ']';
  }

  /** Translates the escape at #i (a backslash) and moves past it. */
  #escape(inClass: boolean): string {
    const p = this.#p;
    const d = p[this.#i + 1];
    if (d === undefined) throw new GoRegexpError('trailing backslash');
    this.#i += 2;
    switch (d) {
      case 'a':
        return '\\u{7}';
      case 'f':
      case 't':
      case 'n':
      case 'r':
      case 'v':
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        return '\\' + d;
      case 's':
        return inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]';
      case 'S':
        return inClass ? '\\S' : '[^\\t\\n\\f\\r ]';
      case 'b':
      case 'B':
      case 'A':
      case 'z':
        if (inClass) throw new GoRegexpError(`\\${d} is not allowed in a character class`);
        if (d === 'A') return '(?<![\\s\\S])';
        if (d === 'z') return '(?![\\s\\S])';
        return '\\' + d;
      case 'x':
        return this.#hexEscape();
      case 'p':
      case 'P':
        return this.#unicodeClass(d);
      case 'Q':
        return this.#quoted(inClass);
    }
    if (d >= '0' && d <= '7') {
      // Go: octal up to three digits; a lone \1..\7 would be a backreference, which RE2 lacks.
      const m = /^[0-7]{0,2}/.exec(p.slice(this.#i))![0];
      if (d !== '0' && m === '') throw new GoRegexpError(`backreference \\${d} is not supported (RE2)`);
      this.#i += m.length;
      return codePoint(d + m, 8);
    }
    if (d.charCodeAt(0) < 0x80 && !isAlnum(d)) return literalChar(d, inClass);
    throw new GoRegexpError(`invalid escape \\${d}`);
  }

  #hexEscape(): string {
    const rest = this.#p.slice(this.#i);
    const braced = /^\{([0-9A-Fa-f]+)\}/.exec(rest);
    if (braced) {
      this.#i += braced[0].length;
      return codePoint(braced[1]!, 16);
    }
    const two = /^[0-9A-Fa-f]{2}/.exec(rest);
    if (!two) throw new GoRegexpError('invalid \\x escape');
    this.#i += 2;
    return codePoint(two[0], 16);
  }

  #unicodeClass(d: 'p' | 'P'): string {
    const rest = this.#p.slice(this.#i);
    let name: string;
    const braced = /^\{([^}]*)\}/.exec(rest);
    if (braced) {
      name = braced[1]!;
      this.#i += braced[0].length;
    } else {
      if (!/^[A-Za-z]/.test(rest)) throw new GoRegexpError(`invalid \\${d} escape`);
      name = rest[0]!;
      this.#i += 1;
    }
    let negate = d === 'P';
    if (name.startsWith('^')) {
      negate = !negate;
      name = name.slice(1);
    }
    if (!/^[A-Za-z_]+$/.test(name)) throw new GoRegexpError(`invalid Unicode class name "${name}"`);
    const prop = GENERAL_CATEGORIES.has(name) ? name : `Script=${name}`;
    return `\\${negate ? 'P' : 'p'}{${prop}}`;
  }

  #quoted(inClass: boolean): string {
    const p = this.#p;
    const end = p.indexOf('\\E', this.#i);
    const text = p.slice(this.#i, end < 0 ? p.length : end);
    this.#i = end < 0 ? p.length : end + 2;
    let out = '';
    for (const ch of text) out += literalChar(ch, inClass);
    return out;
  }
}

/** The JavaScript source (compile with flags "u") of a Go regexp. Throws GoRegexpError. */
export function translateGoRegexp(pattern: string): string {
  return new Translator(pattern).run();
}

/**
 * Translates and compiles once to check the pattern; returns the JS source. Throws
 * GoRegexpError with a reason (the JS engine's message for what the translation let through).
 */
export function checkGoRegexp(pattern: string): string {
  const js = translateGoRegexp(pattern);
  try {
    new RegExp(js, 'u');
  } catch (err) {
    throw new GoRegexpError(err instanceof Error ? err.message.replace(/^Invalid regular expression: /, '') : String(err));
  }
  return js;
}

/** A regex read from `key` of `node`, checked now; a bad pattern is a ConfigError at that key. */
export function regexSourceAt(node: ConfigNode, key: string, pattern: string): RegexSource {
  try {
    return { re2: pattern, js: checkGoRegexp(pattern) };
  } catch (err) {
    if (!(err instanceof GoRegexpError)) throw err;
    return node.fail(key, `invalid regex ${JSON.stringify(pattern)}: ${err.message}`);
  }
}
