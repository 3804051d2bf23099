/**
 * The emulator's account has two users: the owner of the API token (the integration, ordersync)
 * and a person who works on the board. Tests edit the board as that person, through the same
 * GraphQL API, with the second token — so what a person changed carries another user id.
 */

/** A user of the emulated account, as monday's `User` type shows it. */
export interface EmulatorUser {
  id: string;
  name: string;
  email: string;
}

/** The owner of the API token (`--token`): the integration. */
export const TOKEN_OWNER: EmulatorUser = { id: '1', name: 'Emulator User', email: 'emulator@example.com' };

/** A person editing the board (`--user-token`). */
export const BOARD_PERSON: EmulatorUser = { id: '2', name: 'Board Person', email: 'person@example.com' };

/** A user of the account by id (null when there is none). */
export function userById(id: string): EmulatorUser | null {
  return [TOKEN_OWNER, BOARD_PERSON].find((user) => user.id === id) ?? null;
}

/** The user an `Authorization` header authenticates, or null when it matches neither token. */
export function userOfToken(header: string | null | undefined, tokens: { token: string; userToken: string }): EmulatorUser | null {
  if (header === tokens.token) return TOKEN_OWNER;
  if (header === tokens.userToken) return BOARD_PERSON;
  return null;
}
