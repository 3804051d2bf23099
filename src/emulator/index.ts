/**
 * The local monday.com emulator: a real HTTP server on loopback that executes a subset of
 * monday's GraphQL API with graphql-js and behaves like monday wherever a sync client could
 * tell the difference (column-value rules, complexity budget, rate limits, idempotency, faults).
 */
export { startEmulator } from './start-emulator.ts';
export { EMULATOR_SDL } from './schema-sdl.ts';
export type {
  BoardState,
  BudgetOptions,
  ColumnKind,
  ColumnState,
  EmulatorHandle,
  EmulatorOptions,
  EmulatorState,
  Faults,
  GroupState,
  ItemState,
  JsonValue,
  LabelState,
  LimitOptions,
  RequestLogEntry,
} from './types.ts';
