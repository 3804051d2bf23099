/** The monday.com client module: the factory, its options and the public types. */
export { createMondayClient, type MondayClientOptions, type MondayLogger } from './create-monday-client.ts';
export { redact } from './redact.ts';
export * from './types.ts';
