/** What every resolver receives as GraphQL context. */
import type { BoardStore } from './board-store.ts';
import type { CursorStore } from './cursor-store.ts';
import type { EmulatorUser } from './users.ts';

/** The `complexity` field's answer for the current request. */
export interface ComplexityReport {
  before: number;
  after: number;
  query: number;
  reset_in_x_seconds: number;
}

/** Per-request context: the shared store and cursors, the clock, the API version and the request's complexity. */
export interface ExecContext {
  store: BoardStore;
  cursors: CursorStore;
  now: number;
  /** The API version the request resolved to. */
  apiVersion: string;
  complexity: ComplexityReport;
  /** The user the request's token authenticated: the token owner or the board person. */
  user: EmulatorUser;
}

/** A field resolver; sources and args are typed by each resolver itself. */
export type Resolver = (source: never, args: never, context: ExecContext) => unknown;

/** Resolvers by type name, then field name. */
export type ResolverMap = Record<string, Record<string, Resolver>>;
