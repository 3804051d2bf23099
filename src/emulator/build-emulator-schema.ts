/** The executable schema: the emulator's SDL with its resolvers attached. */
import { buildSchema, isInterfaceType, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { ColumnValueView } from './column-value-view.ts';
import type { ResolverMap } from './exec-context.ts';
import { mutationResolvers } from './mutation-resolvers.ts';
import { readResolvers } from './read-resolvers.ts';
import { EMULATOR_SDL } from './schema-sdl.ts';

/** Builds the schema once; resolvers read all state from the execution context. */
export function buildEmulatorSchema(): GraphQLSchema {
  const schema = buildSchema(EMULATOR_SDL);
  attachResolvers(schema, readResolvers);
  attachResolvers(schema, mutationResolvers);
  const columnValue = schema.getType('ColumnValue');
  if (!isInterfaceType(columnValue)) throw new Error('emulator: ColumnValue must be an interface');
  columnValue.resolveType = (value) => (value as ColumnValueView).__typename;
  return schema;
}

// Fails loudly on a resolver for a field the SDL lacks, so the two cannot drift apart.
function attachResolvers(schema: GraphQLSchema, resolvers: ResolverMap): void {
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`emulator: resolver for unknown type ${typeName}`);
    const schemaFields = type.getFields();
    for (const [fieldName, resolve] of Object.entries(fields)) {
      const field = schemaFields[fieldName];
      if (!field) throw new Error(`emulator: resolver for unknown field ${typeName}.${fieldName}`);
      field.resolve = resolve as unknown as GraphQLFieldResolver<unknown, unknown>;
    }
  }
}
