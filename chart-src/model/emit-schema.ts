import type { Field, JsonSchema, ObjectField } from './fields.ts';

/**
 * JSON schema (draft-07, self-contained: no remote $ref, so air-gapped installs validate) for a field.
 * Objects are closed (additionalProperties: false) so a misspelt key fails `helm install` instead of being
 * silently ignored; maps and pass-through Kubernetes objects stay open.
 */
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
    case 'number':
      return {
        ...base,
        type: field.kind,
        ...(field.minimum !== undefined ? { minimum: field.minimum } : {}),
        ...(field.maximum !== undefined ? { maximum: field.maximum } : {}),
      };
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'quantity':
      return { ...base, type: ['string', 'number'], pattern: '^[0-9.]+([eE][0-9]+|[numkMGTPE]i?)?$' };
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
