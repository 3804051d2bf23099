/** Which boards a mutation request writes to, read from its arguments before executing. */
import { valueFromASTUntyped, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import type { BoardStore } from './board-store.ts';
import { rootFields } from './estimate-complexity.ts';

/** Board ids written by the root fields of a mutation (unknown ids are left to the resolvers). */
export function findWriteTargets(
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  store: BoardStore,
): string[] {
  const boards = new Set<string>();
  for (const field of rootFields(operation.selectionSet, fragments)) {
    const args = Object.fromEntries((field.arguments ?? []).map((arg) => [arg.name.value, valueFromASTUntyped(arg.value, variables)]));
    if (args.board_id !== undefined && args.board_id !== null) boards.add(String(args.board_id));
    const item = args.item_id !== undefined && args.item_id !== null ? store.findItem(String(args.item_id)) : undefined;
    if (item) boards.add(item.board_id);
    const parent = args.parent_item_id !== undefined && args.parent_item_id !== null ? store.findItem(String(args.parent_item_id)) : undefined;
    const subitemsBoard = parent ? store.findBoard(parent.board_id)?.subitems_board_id : null;
    if (subitemsBoard) boards.add(subitemsBoard);
  }
  return [...boards];
}
