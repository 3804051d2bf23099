/** monday-style complexity of one operation: reads by fields × list sizes, mutations flat. */
import { Kind, valueFromASTUntyped, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/** Cost of the operation and how many root mutation fields it holds. */
export interface ComplexityEstimate {
  cost: number;
  mutations: number;
}

// Assumed list sizes when a field gives no limit or ids, roughly a real board's shape.
const DEFAULT_SIZE: Record<string, number> = { column_values: 20, columns: 20, groups: 10, subitems: 10 };
const PAGED = new Set(['boards', 'items', 'items_page', 'next_items_page', 'items_page_by_column_values']);

/** Estimates the cost: each field 1, list fields multiply their selection; each mutation `mutationCost`. */
export function estimateComplexity(
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  mutationCost: number,
): ComplexityEstimate {
  if (operation.operation === 'mutation') {
    const roots = rootFields(operation.selectionSet, fragments).filter((field) => field.name.value !== 'complexity' && !field.name.value.startsWith('__'));
    return { cost: roots.length * mutationCost, mutations: roots.length };
  }
  return { cost: costOf(operation.selectionSet, fragments, variables), mutations: 0 };
}

/** The root fields of a selection, looking through fragments. */
export function rootFields(selectionSet: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>): FieldNode[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFields(selection.selectionSet, fragments);
    const fragment = fragments[selection.name.value];
    return fragment ? rootFields(fragment.selectionSet, fragments) : [];
  });
}

function costOf(selectionSet: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, variables: Record<string, unknown>): number {
  let total = 0;
  for (const field of rootFields(selectionSet, fragments)) {
    const name = field.name.value;
    if (name === 'complexity' || name.startsWith('__')) continue;
    const inner = field.selectionSet ? costOf(field.selectionSet, fragments, variables) : 0;
    total += 1 + sizeOf(field, variables) * inner;
  }
  return total;
}

function sizeOf(field: FieldNode, variables: Record<string, unknown>): number {
  const args = Object.fromEntries((field.arguments ?? []).map((arg) => [arg.name.value, valueFromASTUntyped(arg.value, variables)]));
  const name = field.name.value;
  if (Array.isArray(args.ids) && args.ids.length > 0) return args.ids.length;
  if (PAGED.has(name)) return typeof args.limit === 'number' && args.limit > 0 ? args.limit : 25;
  return DEFAULT_SIZE[name] ?? 1;
}
