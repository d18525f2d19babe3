// For a YAML syntax error: the JSON path of the node being read at a character offset, from the
// (partial) tree the yaml parser still builds around the error, so YAML errors name the same
// paths as JSON ones.
import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';

function startOf(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0] ?? undefined;
}

export function yamlPathAt(doc: Document, offset: number): string {
  let path = '';
  let node: unknown = doc.contents;
  // Bounded by the document's depth: every step descends one level.
  for (;;) {
    if (isMap(node)) {
      let hit: { key: string; value: unknown } | undefined;
      for (const pair of node.items) {
        const at = startOf(pair.key);
        if (at === undefined || at > offset) break;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        hit = { key, value: pair.value };
      }
      if (!hit) break;
      path += path ? `.${hit.key}` : hit.key;
      node = hit.value;
    } else if (isSeq(node)) {
      let index = -1;
      node.items.forEach((item, i) => {
        const at = startOf(item);
        if (at !== undefined && at <= offset) index = i;
      });
      if (index < 0) break;
      path += `[${index}]`;
      node = node.items[index];
    } else break;
  }
  return path;
}
