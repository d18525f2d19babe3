// For a JSON syntax error: the JSON path of the value being read at a character offset, so the
// error names where in the document it happened, not only a line number.

export function jsonPathAt(text: string, offset: number): string {
  type Frame = { kind: 'object'; key: string | undefined } | { kind: 'array'; index: number };
  const stack: Frame[] = [];
  let lastString: string | undefined;
  let i = 0;
  const end = Math.min(offset, text.length);
  while (i < end) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\') j++;
        s += text[j] ?? '';
        j++;
      }
      lastString = s;
      i = j + 1;
      continue;
    }
    const top = stack[stack.length - 1];
    if (c === '{') stack.push({ kind: 'object', key: undefined });
    else if (c === '[') stack.push({ kind: 'array', index: 0 });
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ':' && top?.kind === 'object') top.key = lastString;
    else if (c === ',') {
      if (top?.kind === 'array') top.index++;
      else if (top?.kind === 'object') top.key = undefined;
    }
    i++;
  }
  let path = '';
  for (const f of stack) {
    if (f.kind === 'array') path += `[${f.index}]`;
    else if (f.key !== undefined) path += path ? `.${f.key}` : f.key;
  }
  return path;
}

/** Line and column (1-based) of an offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
