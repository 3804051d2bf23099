import { Kind, parse, print, type DocumentNode, type OperationDefinitionNode, type SelectionNode } from 'graphql';
import { COMPLEXITY_SELECTION } from './build-mutation-batch.ts';

/**
 * Adds the root `complexity { … }` field to a single-operation read document so every
 * response reports the budget; documents it cannot safely rewrite are returned unchanged.
 */
export function withComplexityField(document: string): { document: string; injected: boolean } {
  let ast: DocumentNode;
  try {
    ast = parse(document);
  } catch {
    return { document, injected: false }; // monday will answer with the syntax error
  }
  const operations = ast.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operations[0];
  if (operations.length !== 1 || operation === undefined || operation.operation === 'subscription') {
    return { document, injected: false };
  }
  const present = operation.selectionSet.selections.some(
    (selection) => selection.kind === Kind.FIELD && (selection.alias ?? selection.name).value === 'complexity',
  );
  if (present) return { document, injected: false };
  const updated: DocumentNode = {
    ...ast,
    definitions: ast.definitions.map((definition) =>
      definition === operation
        ? {
            ...operation,
            selectionSet: {
              ...operation.selectionSet,
              selections: [...operation.selectionSet.selections, complexityField()],
            },
          }
        : definition,
    ),
  };
  return { document: print(updated), injected: true };
}

function complexityField(): SelectionNode {
  const parsed = parse(`{ ${COMPLEXITY_SELECTION} }`).definitions[0] as OperationDefinitionNode;
  return parsed.selectionSet.selections[0] as SelectionNode;
}
