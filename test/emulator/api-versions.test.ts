import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.ts';
import { postGraphql } from './post-graphql.ts';

const VERSION = '{ version { kind value display_name } }';

describe('emulator API versions', () => {
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    emulator = await startEmulator({ seed: 'empty' });
  });
  afterAll(() => emulator.close());

  it('answers 2026-10 as the current version when no API-Version is sent (API reference: API versioning)', async () => {
    const response = await fetch(emulator.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: emulator.token },
      body: JSON.stringify({ query: VERSION }),
    });
    expect(response.headers.get('api-version')).toBe('2026-10');
    expect((await response.json()).data.version).toEqual({ kind: 'current', value: '2026-10', display_name: 'Current' });
  });

  it('echoes the API-Version header and says which kind the version is (API reference: Version)', async () => {
    const kinds: Record<string, string> = {};
    for (const value of ['2026-07', '2026-10', '2027-01']) {
      const response = await postGraphql(emulator, VERSION, undefined, { 'API-Version': value });
      expect(response.headers.get('api-version')).toBe(value);
      expect(response.body.data.version.value).toBe(value);
      kinds[value] = response.body.data.version.kind;
    }
    expect(kinds).toEqual({ '2026-07': 'maintenance', '2026-10': 'current', '2027-01': 'release_candidate' });
  });

  it('lists the supported versions with their kinds (API reference: Versions)', async () => {
    const response = await postGraphql(emulator, '{ versions { kind value display_name } }');
    expect(response.body.errors).toBeUndefined();
    const versions = response.body.data.versions as { kind: string; value: string; display_name: string }[];
    expect(versions).toContainEqual({ kind: 'maintenance', value: '2026-07', display_name: 'Maintenance' });
    expect(versions).toContainEqual({ kind: 'current', value: '2026-10', display_name: 'Current' });
    expect(versions).toContainEqual({ kind: 'release_candidate', value: '2027-01', display_name: 'Release Candidate' });
    expect(versions.filter((version) => version.kind === 'current')).toHaveLength(1);
  });
});
