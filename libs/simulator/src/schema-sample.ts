/**
 * A deterministic value that fits a JSON Schema, for forced tool calls. Covers what tool schemas use
 * in practice (types, enum/const, required, nested objects and arrays, min/max, anyOf/oneOf/allOf);
 * `$ref` and `pattern` are not resolved (an empty object / a plain word is returned).
 */
type Schema = Record<string, unknown>;

function asSchema(value: unknown): Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Schema) : {};
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function sampleFromSchema(schemaValue: unknown, seed: number, depth = 0): unknown {
  const schema = asSchema(schemaValue);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[seed % schema.enum.length];
  if ('default' in schema) return schema.default;
  const variants = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(variants) && variants.length > 0) return sampleFromSchema(variants[0], seed, depth + 1);
  if (Array.isArray(schema.allOf)) {
    const merged: Schema = { type: 'object', properties: {}, required: [] };
    for (const part of schema.allOf.map(asSchema)) {
      Object.assign(merged.properties as Schema, asSchema(part.properties));
      (merged.required as unknown[]).push(...(Array.isArray(part.required) ? part.required : []));
    }
    return sampleFromSchema(merged, seed, depth + 1);
  }
  let type = schema.type;
  if (Array.isArray(type)) type = type.find((t) => t !== 'null') ?? type[0];
  if (type === undefined) type = schema.properties ? 'object' : schema.items ? 'array' : 'string';
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      if (depth > 8) return out;
      const properties = asSchema(schema.properties);
      for (const [key, child] of Object.entries(properties))
        out[key] = sampleFromSchema(child, seed + key.length, depth + 1);
      return out;
    }
    case 'array': {
      const count = Math.max(1, num(schema.minItems) ?? 1);
      const max = num(schema.maxItems);
      const items = depth > 8 ? 0 : max !== undefined ? Math.min(count, max) : count;
      return Array.from({ length: items }, (_, i) => sampleFromSchema(schema.items, seed + i, depth + 1));
    }
    case 'integer':
    case 'number': {
      const min =
        num(schema.minimum) ??
        (num(schema.exclusiveMinimum) !== undefined ? num(schema.exclusiveMinimum)! + 1 : undefined);
      const max =
        num(schema.maximum) ??
        (num(schema.exclusiveMaximum) !== undefined ? num(schema.exclusiveMaximum)! - 1 : undefined);
      let value = min ?? (max !== undefined ? Math.min(max, 1) : 1 + (seed % 9));
      if (max !== undefined && value > max) value = max;
      return type === 'integer' ? Math.ceil(value) : value;
    }
    case 'boolean':
      return seed % 2 === 0;
    case 'null':
      return null;
    default: {
      if (schema.format === 'date-time') return '2025-01-01T00:00:00Z';
      if (schema.format === 'date') return '2025-01-01';
      if (schema.format === 'email') return 'someone@example.com';
      if (schema.format === 'uri' || schema.format === 'url') return 'https://example.com/';
      let text = 'sample';
      const minLength = num(schema.minLength) ?? 0;
      while (text.length < minLength) text += 'x';
      const maxLength = num(schema.maxLength);
      return maxLength !== undefined ? text.slice(0, Math.max(minLength, maxLength)) : text;
    }
  }
}
