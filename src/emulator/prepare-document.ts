/** Parses, validates and picks the operation of a request document, caching by text. */
import { Kind, parse, validate, GraphQLError, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { formatGraphqlError, type ResponseError } from './format-graphql-error.ts';

/** A document ready to execute, or the errors that stop it. */
export type PreparedDocument =
  | { ok: true; document: DocumentNode; operation: OperationDefinitionNode; fragments: Record<string, FragmentDefinitionNode> }
  | { ok: false; errors: ResponseError[] };

const CACHE_SIZE = 500;

/** Parses and validates documents; a sync client sends the same few shapes again and again. */
export class DocumentPreparer {
  private readonly schema: GraphQLSchema;
  private readonly cache = new Map<string, PreparedDocument>();

  constructor(schema: GraphQLSchema) {
    this.schema = schema;
  }

  /** Prepares `query`, selecting `operationName` (or the only operation). */
  prepare(query: string, operationName: string | null): PreparedDocument {
    const key = `${operationName ?? ''}\u0000${query}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const prepared = this.build(query, operationName);
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, prepared);
    return prepared;
  }

  private build(query: string, operationName: string | null): PreparedDocument {
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      if (error instanceof GraphQLError) return { ok: false, errors: [formatGraphqlError(error)] };
      throw error;
    }
    const invalid = validate(this.schema, document);
    if (invalid.length > 0) return { ok: false, errors: invalid.map(formatGraphqlError) };
    const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
    const operation = operationName ? operations.find((candidate) => candidate.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
    if (!operation) {
      const message = operationName ? `Unknown operation named "${operationName}".` : 'Must provide operation name if query contains multiple operations.';
      return { ok: false, errors: [{ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] };
    }
    const fragments = Object.fromEntries(
      document.definitions
        .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
        .map((fragment) => [fragment.name.value, fragment]),
    );
    return { ok: true, document, operation, fragments };
  }
}
