import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.ts';
import { CREATE_ITEM, ORDER_BOARD, postGraphql } from './post-graphql.ts';

describe('emulator HTTP protocol', () => {
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    emulator = await startEmulator({ seed: 'demo' });
  });
  afterAll(() => emulator.close());

  it('listens on loopback and serves the API at /v2', () => {
    expect(emulator.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.url).toBe(`${emulator.baseUrl}/v2`);
  });

  it('refuses to listen on a non-loopback host', async () => {
    await expect(startEmulator({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });

  it('answers a wrong or missing token with HTTP 401', async () => {
    const wrong = await postGraphql({ url: emulator.url, token: 'nope' }, '{ complexity { query } }');
    expect(wrong.status).toBe(401);
    expect(wrong.body.errors[0].message).toBe('Not Authenticated');
    expect(wrong.body.extensions.request_id).toEqual(expect.any(String));
    const missing = await fetch(emulator.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"query":"{ complexity { query } }"}' });
    expect(missing.status).toBe(401);
  });

  it('does not accept a Bearer prefix: monday wants the raw token', async () => {
    const response = await postGraphql(emulator, '{ complexity { query } }', undefined, { Authorization: `Bearer ${emulator.token}` });
    expect(response.status).toBe(401);
  });

  it('echoes API-Version, answers unknown well-formed versions with the current one and rejects malformed ones', async () => {
    expect((await postGraphql(emulator, '{ complexity { query } }', undefined, { 'API-Version': '2025-04' })).headers.get('api-version')).toBe('2025-04');
    expect((await postGraphql(emulator, '{ complexity { query } }', undefined, { 'API-Version': '2031-01' })).headers.get('api-version')).toBe('2026-10');
    const bad = await postGraphql(emulator, '{ complexity { query } }', undefined, { 'API-Version': 'v2' });
    expect(bad.body.errors[0].extensions.code).toBe('InvalidVersionException');
  });

  it('puts extensions.request_id in every body and rate-limit headers on every response', async () => {
    const response = await postGraphql(emulator, '{ boards(ids: [1]) { id } }');
    expect(response.body.extensions.request_id).toEqual(expect.any(String));
    expect(response.headers.get('ratelimit-policy')).toContain('"complexityMinute";q=10000000;w=60');
    expect(response.headers.get('ratelimit')).toMatch(/"minuteRate";r=\d+/);
  });

  it('rejects variables sent as a JSON string', async () => {
    const response = await postGraphql(emulator, CREATE_ITEM, JSON.stringify({ board: ORDER_BOARD, name: 'x' }));
    expect(response.status).toBe(400);
    expect(response.body.errors[0].message).toMatch(/variables must be a JSON object/);
    expect(emulator.snapshot().items.filter((item) => item.name === 'x')).toHaveLength(0);
  });

  it('reports unknown fields as undefinedField validation errors', async () => {
    const response = await postGraphql(emulator, '{ boards { id owner_pet_name } }');
    expect(response.status).toBe(200);
    expect(response.body.errors[0].extensions.code).toBe('undefinedField');
    expect(response.body.data).toBeUndefined();
  });

  it('reports variables of the wrong type before running anything', async () => {
    const response = await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: ['not', 'a', 'string'] });
    expect(response.body.errors[0].extensions.code).toBe('variableMismatch');
  });

  it('logs each request with its operation, variables and outcome', async () => {
    const before = emulator.requestLog.length;
    await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'logged' }, { 'Idempotency-Key': 'log-1' });
    const entry = emulator.requestLog[before];
    expect(entry).toMatchObject({ status: 200, operation: 'mutation', idempotencyKey: 'log-1', replayed: false, mutations: 1, complexity: 10_000 });
    expect(entry!.variables).toEqual({ board: ORDER_BOARD, name: 'logged' });
    const served = (await (await fetch(`${emulator.baseUrl}/requests.json`)).json()) as unknown[];
    expect(served.length).toBe(emulator.requestLog.length);
  });

  it('serves the state as JSON', async () => {
    const state = (await (await fetch(`${emulator.baseUrl}/state.json`)).json()) as { boards: { id: string; type: string }[] };
    expect(state.boards.map((board) => `${board.id}:${board.type}`)).toEqual([
      '9200517329:board',
      '9200517330:sub_items_board',
      '9609317401:board',
      '9609317402:sub_items_board',
    ]);
  });

  it('escapes user content in the HTML view', async () => {
    await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: '<script>alert(1)</script>', values: JSON.stringify({ text_mkr5dq1b: '"><img src=x onerror=alert(2)>' }) });
    const response = await fetch(`${emulator.baseUrl}/`);
    const html = await response.text();
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('Order List');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
  });

  it('shows an overview per board: groups with item and subitem counts, status labels in monday\'s colours, collapsible groups', async () => {
    await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'shipped one', values: JSON.stringify({ status: { label: 'Shipped' } }) });
    const html = await (await fetch(`${emulator.baseUrl}/`)).text();
    expect(html).toMatch(/<table class="overview"><thead><tr><th>Group<\/th><th>Items<\/th><th>Subitems<\/th><th>Status<\/th><\/tr><\/thead>/);
    // "Shipped" is the demo board's label 2: monday's red slot of the default palette.
    expect(html).toContain('<span class="pill" style="background:#df2f4a">Shipped</span> 1');
    expect(html).toContain('<details open><summary');
  });
});
