import { existsSync, readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildMutationBatch } from '../../src/monday/build-mutation-batch.ts';
import type { MutationOp } from '../../src/monday/types.ts';

const createItem = (key: string, name: string, columns: Record<string, unknown>): MutationOp => ({
  key,
  field: 'create_item',
  args: {
    board_id: { type: 'ID!', value: '9200517329' },
    item_name: { type: 'String!', value: name },
    group_id: { type: 'String', value: 'topics' },
    column_values: { type: 'JSON', value: JSON.stringify(columns) },
  },
  selection: 'id',
});

describe('buildMutationBatch', () => {
  it('aliases every op and gives every argument its own variable', () => {
    const batch = buildMutationBatch([createItem('r1', 'A', {}), createItem('r2', 'B', {})]);
    expect(batch.document).toContain('$a0_item_name: String!');
    expect(batch.document).toContain('a1: create_item(board_id: $a1_board_id, item_name: $a1_item_name, group_id: $a1_group_id, column_values: $a1_column_values) { id }');
    expect(batch.document).toContain('complexity { before after query reset_in_x_seconds }');
    expect(batch.variables).toMatchObject({ a0_item_name: 'A', a1_item_name: 'B', a1_board_id: '9200517329' });
    expect(batch.parts[1]).toEqual({
      alias: 'a1',
      fieldText: 'a1: create_item(board_id: $a1_board_id, item_name: $a1_item_name, group_id: $a1_group_id, column_values: $a1_column_values) { id }',
      variables: { a1_board_id: '9200517329', a1_item_name: 'B', a1_group_id: 'topics', a1_column_values: '{}' },
    });
  });

  it('never splices values into the document, whatever they contain', () => {
    const nasty = 'He said "hi" }\n mutation { delete_board(board_id: 1) { id } } #';
    const batch = buildMutationBatch([createItem('r1', nasty, { text_mkr5wya6: nasty })]);
    expect(batch.document).not.toContain('He said');
    expect(() => parse(batch.document)).not.toThrow();
    expect(batch.variables.a0_item_name).toBe(nasty);
  });

  it('refuses names, types and selections that would change the document', () => {
    const op = createItem('r1', 'A', {});
    expect(() => buildMutationBatch([{ ...op, field: 'create_item(board_id: 1)' }])).toThrow(/invalid GraphQL name/);
    expect(() => buildMutationBatch([{ ...op, args: { 'x: 1) {': { type: 'ID', value: 1 } } }])).toThrow(/invalid GraphQL name/);
    expect(() => buildMutationBatch([{ ...op, args: { x: { type: 'ID) { id } #', value: 1 } } }])).toThrow(/invalid GraphQL type/);
    expect(() => buildMutationBatch([{ ...op, selection: 'id } a9: delete_item(item_id: 1) {' }])).toThrow(/balanced braces/);
  });

  const schemaPath = new URL('../../../shared/monday/schema.graphql', import.meta.url);
  it.runIf(existsSync(schemaPath))('builds documents that validate against monday’s published schema', () => {
    const schema = buildSchema(readFileSync(schemaPath, 'utf8'), { assumeValidSDL: true });
    const batch = buildMutationBatch([
      createItem('r1', 'A', { status: { label: 'Open' } }),
      {
        key: 'l1',
        field: 'create_subitem',
        args: {
          parent_item_id: { type: 'ID!', value: '1' },
          item_name: { type: 'String!', value: 'S' },
          column_values: { type: 'JSON', value: '{}' },
          create_labels_if_missing: { type: 'Boolean', value: false },
        },
        selection: 'id board { id }',
      },
      {
        key: 'r2',
        field: 'change_multiple_column_values',
        args: {
          board_id: { type: 'ID!', value: '9200517329' },
          item_id: { type: 'ID', value: '2' },
          column_values: { type: 'JSON!', value: '{}' },
        },
        selection: 'id',
      },
      { key: 'g', field: 'create_group', args: { board_id: { type: 'ID!', value: '1' }, group_name: { type: 'String!', value: 'X' } }, selection: 'id title' },
    ]);
    expect(validate(schema, parse(batch.document)).map((error) => error.message)).toEqual([]);
  });
});
