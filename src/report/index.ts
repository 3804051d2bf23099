/** Public helpers for report plugins: writing report folders from Handlebars templates, and value checks. */
export { createReportWriter, type ReportWriter, type ReportWriterOptions } from './create-report-writer.ts';
export { isTimeZone } from './format-values.ts';
