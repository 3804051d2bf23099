import type { MutationOp } from './types.ts';

/** The root field every request asks for, to read the complexity budget. */
export const COMPLEXITY_SELECTION = 'complexity { before after query reset_in_x_seconds }';

/** One op's share of a batch: its alias, its own field text and its own variables. */
export interface BatchPart {
  alias: string;
  fieldText: string;
  variables: Record<string, unknown>;
}

/** A whole aliased mutation document with its variables and the per-op parts. */
export interface MutationBatch {
  document: string;
  variables: Record<string, unknown>;
  parts: BatchPart[];
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const TYPE = /^\[*[_A-Za-z][_0-9A-Za-z]*!?(\]!?)*$/;

/**
 * Builds one mutation document with aliases `a0`, `a1`, … and one variable per argument
 * (`$a0_item_name: String!`), plus the root `complexity` field. Values only ever travel as
 * variables; the names and types that do go into the text are checked to be GraphQL names.
 */
export function buildMutationBatch(ops: readonly MutationOp[]): MutationBatch {
  const definitions: string[] = [];
  const variables: Record<string, unknown> = {};
  const parts: BatchPart[] = ops.map((op, index) => {
    const alias = `a${index}`;
    assertName(op.field, `field of op "${op.key}"`);
    assertSelection(op.selection, op.key);
    const own: Record<string, unknown> = {};
    const args: string[] = [];
    for (const [name, spec] of Object.entries(op.args)) {
      assertName(name, `argument of op "${op.key}"`);
      const type = spec.type.replace(/\s+/g, '');
      if (!TYPE.test(type)) throw new TypeError(`monday client: invalid GraphQL type "${spec.type}" for ${op.key}.${name}`);
      const variable = `${alias}_${name}`;
      definitions.push(`$${variable}: ${type}`);
      args.push(`${name}: $${variable}`);
      own[variable] = spec.value === undefined ? null : spec.value;
      variables[variable] = own[variable];
    }
    const argText = args.length > 0 ? `(${args.join(', ')})` : '';
    const selection = op.selection.trim();
    const fieldText = `${alias}: ${op.field}${argText}${selection ? ` { ${selection} }` : ''}`;
    return { alias, fieldText, variables: own };
  });
  const head = definitions.length > 0 ? `mutation (${definitions.join(', ')})` : 'mutation';
  const body = [...parts.map((part) => `  ${part.fieldText}`), `  ${COMPLEXITY_SELECTION}`].join('\n');
  return { document: `${head} {\n${body}\n}`, variables, parts };
}

function assertName(name: string, what: string): void {
  if (!NAME.test(name)) throw new TypeError(`monday client: invalid GraphQL name "${name}" (${what})`);
}

// A selection is trusted code, not data, but an unbalanced brace would swallow the next alias.
function assertSelection(selection: string, key: string): void {
  let depth = 0;
  for (const char of selection) {
    if (char === '{') depth += 1;
    if (char === '}') depth -= 1;
    if (depth < 0) break;
  }
  if (depth !== 0 || /[#$]/.test(selection)) {
    throw new TypeError(`monday client: selection of op "${key}" must have balanced braces and no variables or comments`);
  }
}
