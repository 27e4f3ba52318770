import type { Field, JsonSchema, ObjectField } from './fields.ts';
import { QUANTITY_PATTERN } from './values.ts';

/**
 * JSON schema (draft-07, self-contained: no remote $ref, so air-gapped installs validate) for a field.
 * Objects are closed (additionalProperties: false) so a misspelt key fails `helm install` instead of being
 * silently ignored; maps and pass-through Kubernetes objects stay open.
 */
/** A decimal as `--set` passes it: digits with an optional fraction. */
export const DECIMAL_PATTERN = '^-?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)$';

export function schemaOf(field: Field): JsonSchema {
  const base: JsonSchema = { description: field.description };
  switch (field.kind) {
    case 'string':
      return {
        ...base,
        type: 'string',
        ...(field.enum ? { enum: [...field.enum] } : {}),
        ...(field.pattern ? { pattern: field.pattern } : {}),
        ...(field.minLength !== undefined ? { minLength: field.minLength } : {}),
      };
    case 'integer':
      return {
        ...base,
        type: 'integer',
        ...(field.minimum !== undefined ? { minimum: field.minimum } : {}),
        ...(field.maximum !== undefined ? { maximum: field.maximum } : {}),
      };
    case 'number':
      // `helm --set x=0.5` passes a string (Helm parses only integers and booleans), so a decimal string is
      // accepted too; the templates check its range (configLines).
      return {
        ...base,
        type: ['number', 'string'],
        pattern: DECIMAL_PATTERN,
        ...(field.minimum !== undefined ? { minimum: field.minimum } : {}),
        ...(field.maximum !== undefined ? { maximum: field.maximum } : {}),
      };
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'quantity':
      // The pattern applies to strings (`512Mi`); a bare number (`1` core) must not be negative.
      return { ...base, type: ['string', 'number'], pattern: QUANTITY_PATTERN, minimum: 0 };
    case 'list':
      return { ...base, type: 'array', items: field.items };
    case 'map':
      return { ...base, type: 'object', additionalProperties: field.values };
    case 'object':
      return objectSchema(field);
  }
}

export function objectSchema(field: ObjectField, extraProperties: JsonSchema = {}): JsonSchema {
  const properties: JsonSchema = {};
  for (const [key, child] of Object.entries(field.fields)) properties[key] = schemaOf(child);
  return {
    description: field.description,
    type: 'object',
    additionalProperties: false,
    properties: { ...properties, ...extraProperties },
  };
}

/** A whole chart's schema document. */
export function chartSchema(title: string, root: JsonSchema): JsonSchema {
  return { $schema: 'http://json-schema.org/draft-07/schema#', title, ...root };
}
