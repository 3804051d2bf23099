/** The stage contract: one file per role. */
export * from './declaration.ts';
export type * from './context.ts';
export * from './records.ts';
export type * from './ownership.ts';
export type * from './extract.ts';
export type * from './transform.ts';
export type * from './group-resolve.ts';
export type * from './load.ts';
export type * from './report.ts';
export type * from './preflight.ts';
