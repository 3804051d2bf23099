/** The read documents of write-back and reconcile are valid against monday's published schema (shared/monday/schema.graphql). */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { BOARD_COLUMNS } from '../../src/pipeline/write-back/describe-boards.ts';
import { FIRST_CHANGED_PAGE, NEXT_CHANGED_PAGE } from '../../src/pipeline/write-back/read-changed-items.ts';
import { FIRST_BOARD_PAGE, NEXT_BOARD_PAGE } from '../../src/reconcile/read-board-items.ts';

const REAL_SCHEMA = fileURLToPath(new URL('../../../shared/monday/schema.graphql', import.meta.url));

describe.skipIf(!existsSync(REAL_SCHEMA))('write-back and reconcile documents', () => {
  const schema = existsSync(REAL_SCHEMA) ? buildSchema(readFileSync(REAL_SCHEMA, 'utf8'), { assumeValidSDL: true }) : null;
  it.each([
    ['board columns', BOARD_COLUMNS],
    ['first page of changed items', FIRST_CHANGED_PAGE],
    ['next page of changed items', NEXT_CHANGED_PAGE],
    ['first page of a board', FIRST_BOARD_PAGE],
    ['next page of a board', NEXT_BOARD_PAGE],
  ])('%s validates against the real API schema', (_, document) => {
    expect(validate(schema!, parse(document)).map((e) => e.message)).toEqual([]);
  });
});
