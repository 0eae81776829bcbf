// TypeBox writes an enumeration as a union of literals: `anyOf: [{type: 'string', const: 'a'}, …]`, which
// the swagger plugin turns into one-value enums. In the document they read better as one `enum`, as
// Webex's own document writes them: `{type: 'string', enum: ['a', 'b']}`. Same values, same meaning.

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `{type, enum: [one value]}` and nothing else. */
function literalOf(member: unknown): { type: string; value: unknown } | undefined {
  if (!isObject(member) || typeof member.type !== 'string' || !Array.isArray(member.enum)) return undefined;
  if (member.enum.length !== 1 || Object.keys(member).some((key) => key !== 'type' && key !== 'enum')) {
    return undefined;
  }
  return { type: member.type, value: member.enum[0] };
}

/** The literals of each type merged into one enum member; other members kept, in order. */
function mergeMembers(members: unknown[]): unknown[] {
  const merged: unknown[] = [];
  const enums = new Map<string, unknown[]>();
  for (const member of members) {
    const literal = literalOf(member);
    if (literal === undefined) {
      merged.push(member);
      continue;
    }
    let values = enums.get(literal.type);
    if (values === undefined) {
      values = [];
      enums.set(literal.type, values);
      merged.push({ type: literal.type, enum: values });
    }
    values.push(literal.value);
  }
  return merged;
}

function visit(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(visit);
    return;
  }
  if (!isObject(node)) return;
  Object.values(node).forEach(visit);
  if (!Array.isArray(node.anyOf)) return;
  const members = mergeMembers(node.anyOf);
  const [only] = members;
  if (members.length === 1 && isObject(only) && only.type !== undefined && node.type === undefined) {
    delete node.anyOf;
    Object.assign(node, only);
  } else {
    node.anyOf = members;
  }
}

/** Rewrites the document in place and returns it. */
export function mergeLiteralUnions<T extends object>(document: T): T {
  visit(document);
  return document;
}
