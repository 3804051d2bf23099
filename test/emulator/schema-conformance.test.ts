import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  isIntrospectionType,
  isRequiredArgument,
  isRequiredInputField,
  type GraphQLArgument,
  type GraphQLNamedType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { EMULATOR_SDL } from '../../src/emulator/index.ts';

// monday.com's published schema lives beside the repository, not in it (it must not be copied in).
const REAL_SCHEMA = fileURLToPath(new URL('../../../shared/monday/schema.graphql', import.meta.url));
const present = existsSync(REAL_SCHEMA);

/** Every difference between the emulator's SDL and the real schema that a client could trip over. */
function compareSchemas(): string[] {
  const real = buildSchema(readFileSync(REAL_SCHEMA, 'utf8'), { assumeValidSDL: true });
  const ours = buildSchema(EMULATOR_SDL);
  const problems: string[] = [];
  for (const type of Object.values(ours.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    const theirs = real.getType(type.name);
    if (!theirs) {
      problems.push(`type ${type.name} does not exist in monday's schema`);
      continue;
    }
    if (kindOf(type) !== kindOf(theirs)) {
      problems.push(`type ${type.name} is ${kindOf(type)} here but ${kindOf(theirs)} on monday`);
      continue;
    }
    if (isEnumType(type) && isEnumType(theirs)) {
      const known = new Set(theirs.getValues().map((value) => value.name));
      for (const value of type.getValues()) if (!known.has(value.name)) problems.push(`enum value ${type.name}.${value.name} does not exist`);
    }
    if ((isObjectType(type) || isInterfaceType(type)) && (isObjectType(theirs) || isInterfaceType(theirs))) {
      const realInterfaces = new Set(theirs.getInterfaces().map((entry) => entry.name));
      for (const entry of type.getInterfaces()) if (!realInterfaces.has(entry.name)) problems.push(`${type.name} does not implement ${entry.name} on monday`);
      const realFields = theirs.getFields();
      for (const field of Object.values(type.getFields())) {
        const realField = realFields[field.name];
        if (!realField) {
          problems.push(`field ${type.name}.${field.name} does not exist`);
          continue;
        }
        if (String(field.type) !== String(realField.type)) problems.push(`${type.name}.${field.name} is ${field.type} here but ${realField.type} on monday`);
        problems.push(...compareArgs(`${type.name}.${field.name}`, field.args, realField.args));
      }
    }
    if (isInputObjectType(type) && isInputObjectType(theirs)) {
      const realFields = theirs.getFields();
      for (const field of Object.values(type.getFields())) {
        const realField = realFields[field.name];
        if (!realField) problems.push(`input field ${type.name}.${field.name} does not exist`);
        else if (String(field.type) !== String(realField.type)) problems.push(`input ${type.name}.${field.name} is ${field.type} here but ${realField.type} on monday`);
      }
      for (const realField of Object.values(realFields)) {
        if (isRequiredInputField(realField) && !type.getFields()[realField.name]) problems.push(`input ${type.name} lacks required field ${realField.name}`);
      }
    }
  }
  return problems;
}

function compareArgs(where: string, ours: readonly GraphQLArgument[], theirs: readonly GraphQLArgument[]): string[] {
  const problems: string[] = [];
  for (const arg of ours) {
    const realArg = theirs.find((candidate) => candidate.name === arg.name);
    if (!realArg) problems.push(`argument ${where}(${arg.name}) does not exist`);
    else if (String(arg.type) !== String(realArg.type)) problems.push(`argument ${where}(${arg.name}) is ${arg.type} here but ${realArg.type} on monday`);
    else if (arg.defaultValue !== undefined && JSON.stringify(arg.defaultValue) !== JSON.stringify(realArg.defaultValue)) {
      problems.push(`argument ${where}(${arg.name}) defaults to ${JSON.stringify(arg.defaultValue)} here but ${JSON.stringify(realArg.defaultValue)} on monday`);
    }
  }
  // A required argument we do not declare would let a client omit it here and fail on monday.
  for (const realArg of theirs) {
    if (isRequiredArgument(realArg) && !ours.some((arg) => arg.name === realArg.name)) problems.push(`${where} lacks required argument ${realArg.name}`);
  }
  return problems;
}

function kindOf(type: GraphQLNamedType): string {
  if (isObjectType(type)) return 'object';
  if (isInterfaceType(type)) return 'interface';
  if (isInputObjectType(type)) return 'input';
  if (isEnumType(type)) return 'enum';
  if (isScalarType(type)) return 'scalar';
  return 'union';
}

describe('emulator schema conformance', () => {
  it.skipIf(!present)(
    present
      ? `declares only types, fields and arguments that exist with the same types in ${REAL_SCHEMA}`
      : `is skipped: monday's schema was not found at ${REAL_SCHEMA}`,
    () => {
      expect(compareSchemas()).toEqual([]);
    },
  );

  it.skipIf(!present)('notices a field monday does not have (the check itself works)', () => {
    const real = buildSchema(readFileSync(REAL_SCHEMA, 'utf8'), { assumeValidSDL: true });
    expect(real.getQueryType()?.getFields().boards).toBeDefined();
    expect(real.getQueryType()?.getFields().emulator_only_field).toBeUndefined();
  });
});
