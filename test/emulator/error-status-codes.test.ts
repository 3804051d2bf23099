import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.ts';
import { CREATE_ITEM, ORDER_BOARD, postGraphql } from './post-graphql.ts';

// API reference "Error handling": which HTTP status and extensions.status_code each error carries.
describe('emulator error status codes', () => {
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    emulator = await startEmulator({ seed: 'demo' });
  });
  afterAll(() => emulator.close());

  it('answers a malformed API-Version with InvalidVersionException in an HTTP 200 response (API reference: Error handling)', async () => {
    const response = await postGraphql(emulator, '{ complexity { query } }', undefined, { 'API-Version': 'v2' });
    expect(response.status).toBe(200);
    expect(response.body.errors[0].extensions).toMatchObject({ code: 'InvalidVersionException', status_code: 200 });
  });

  it('gives DeleteLastGroupException status_code 409 (API reference: Error handling)', async () => {
    const response = await postGraphql(emulator, `mutation { delete_group(board_id: ${ORDER_BOARD}, group_id: "topics") { id } }`);
    expect(response.status).toBe(200);
    expect(response.body.errors[0].extensions).toMatchObject({ code: 'DeleteLastGroupException', status_code: 409 });
  });

  it('answers an unknown item, group or board id with ResourceNotFoundException and status_code 200 (API reference: Error handling)', async () => {
    const item = await postGraphql(emulator, `mutation { archive_item(item_id: 1) { id } }`);
    const group = await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'x', group: 'group_nothere' });
    const board = await postGraphql(emulator, CREATE_ITEM, { board: '1234', name: 'x' });
    for (const response of [item, group, board]) {
      expect(response.status).toBe(200);
      expect(response.body.errors[0].extensions).toMatchObject({ code: 'ResourceNotFoundException', status_code: 200 });
    }
  });
});
