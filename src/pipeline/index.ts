/** The public contract for plugins: import from here, nothing else in src/ (report plugins may also use src/report/index.ts). */
export * from './contract/index.ts';
export type { Logger, LogFields } from './logger.ts';
export type { RunSummary, CustomerResult, RecordCounts, OutcomeStatus } from './run-summary.ts';
export { didYouMean, nearestName } from './nearest-name.ts';
export { compileFieldTemplate, checkFieldTemplate, fieldText, FieldTemplateSchema, truncateText, type FieldTemplate } from './field-template.ts';
export type { MondayClient, MutationOp, OpResult, MondayErrorInfo } from '../monday/types.ts';
export { MondayError } from '../monday/types.ts';
export { comparableRead, comparableSent, type ReadColumnValue } from '../monday/comparable-value.ts';
