/** Renders graphql-js errors the way monday.com does: `extensions.code` always present. */
import { GraphQLError } from 'graphql';
import { MondayApiError } from './monday-api-error.ts';

/** A response error object: message, locations, path and extensions. */
export type ResponseError = Record<string, unknown> & { message: string; extensions: Record<string, unknown> & { code: string } };

// Validation messages of graphql-js mapped to the codes monday's GraphQL layer uses.
const VALIDATION_CODES: [RegExp, string][] = [
  [/^Syntax Error/, 'parseError'],
  [/^Cannot query field/, 'undefinedField'],
  [/^Unknown argument/, 'argumentNotAccepted'],
  [/argument .* is required, but it was not provided|of required type .* was not provided/, 'missingRequiredArguments'],
  [/^Unknown type/, 'undefinedType'],
  [/^Variable "\$\w+" got invalid value|^Variable "\$\w+" of (required )?type .* (used in position|must not be null)/, 'variableMismatch'],
  [/^Variable "\$\w+" is not defined/, 'variableNotDefined'],
  [/^Variable "\$\w+" is never used/, 'variableNotUsed'],
];

/** Converts one GraphQLError (resolver, validation or coercion) to monday's error shape. */
export function formatGraphqlError(error: GraphQLError): ResponseError {
  const base: Record<string, unknown> & { message: string } = { message: error.message };
  if (error.locations) base.locations = error.locations;
  if (error.path) base.path = error.path;
  const original = error.originalError;
  if (original instanceof MondayApiError) {
    return { ...base, message: original.message, extensions: { code: original.code, status_code: original.statusCode, error_data: original.errorData } };
  }
  if (original && !(original instanceof GraphQLError)) {
    // An emulator bug, not a client mistake: say so rather than pretend it is a client error.
    return { ...base, extensions: { code: 'INTERNAL_SERVER_ERROR', status_code: 500, error_data: {} } };
  }
  const code = VALIDATION_CODES.find(([pattern]) => pattern.test(error.message))?.[1] ?? 'GRAPHQL_VALIDATION_FAILED';
  return { ...base, extensions: { code } };
}
