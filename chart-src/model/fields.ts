/**
 * The building blocks of the typed values model. Each field carries its default, its description and its
 * JSON-schema constraints, so one model yields values.yaml (commented), values.schema.json and the README
 * values table, and the TypeScript type of the values (for the overlays) is inferred from it.
 */

export type JsonSchema = { [key: string]: unknown };

interface FieldBase {
  description: string;
  /** For config fields: the environment variable this value reaches through the component's ConfigMap. */
  env?: string;
  /** For config fields: a sibling config value (its path) without which the variable is left out. */
  envWhen?: string;
}

export interface StringField extends FieldBase {
  kind: 'string';
  default: string;
  enum?: readonly string[];
  pattern?: string;
  minLength?: number;
}
export interface IntegerField extends FieldBase {
  kind: 'integer';
  default: number;
  minimum?: number;
  maximum?: number;
}
export interface NumberField extends FieldBase {
  kind: 'number';
  default: number;
  minimum?: number;
  maximum?: number;
}
export interface BooleanField extends FieldBase {
  kind: 'boolean';
  default: boolean;
}
/** A Kubernetes resource quantity: `250m`, `1Gi`, or a bare number of cores. */
export interface QuantityField extends FieldBase {
  kind: 'quantity';
  default: string | number;
}
export interface ObjectField<F extends Fields = Fields> extends FieldBase {
  kind: 'object';
  fields: F;
}
/** A list whose items are described by a plain JSON schema (Kubernetes objects passed through, names...). */
export interface ListField<T = unknown> extends FieldBase {
  kind: 'list';
  default: T[];
  items: JsonSchema;
}
/** A free-form map (labels, annotations, node selectors...). */
export interface MapField<T = unknown> extends FieldBase {
  kind: 'map';
  default: Record<string, T>;
  values: JsonSchema;
}

export type Field =
  | StringField
  | IntegerField
  | NumberField
  | BooleanField
  | QuantityField
  | ObjectField
  | ListField
  | MapField;
export type Fields = { [key: string]: Field };

/** The TypeScript type of the values a field holds. */
export type ValueOf<F> = F extends StringField
  ? string
  : F extends IntegerField | NumberField
    ? number
    : F extends BooleanField
      ? boolean
      : F extends QuantityField
        ? string | number
        : F extends ObjectField<infer G>
          ? { [K in keyof G]: ValueOf<G[K]> }
          : F extends ListField<infer T>
            ? T[]
            : F extends MapField<infer T>
              ? Record<string, T>
              : never;

/** What an overlay may set: any subset of the values, at any depth. */
export type Overlay<F> = F extends ObjectField<infer G> ? { [K in keyof G]?: Overlay<G[K]> } : ValueOf<F>;

type Extra<T extends Field> = Omit<T, 'kind' | 'default' | 'description' | 'fields'>;

export const f = {
  string: (value: string, description: string, extra: Extra<StringField> = {}): StringField => ({
    kind: 'string',
    default: value,
    description,
    ...extra,
  }),
  integer: (value: number, description: string, extra: Extra<IntegerField> = {}): IntegerField => ({
    kind: 'integer',
    default: value,
    description,
    ...extra,
  }),
  number: (value: number, description: string, extra: Extra<NumberField> = {}): NumberField => ({
    kind: 'number',
    default: value,
    description,
    ...extra,
  }),
  boolean: (value: boolean, description: string, extra: Extra<BooleanField> = {}): BooleanField => ({
    kind: 'boolean',
    default: value,
    description,
    ...extra,
  }),
  quantity: (value: string | number, description: string): QuantityField => ({
    kind: 'quantity',
    default: value,
    description,
  }),
  object: <F extends Fields>(description: string, fields: F): ObjectField<F> => ({
    kind: 'object',
    description,
    fields,
  }),
  list: <T>(value: T[], description: string, items: JsonSchema): ListField<T> => ({
    kind: 'list',
    default: value,
    description,
    items,
  }),
  map: <T>(value: Record<string, T>, description: string, values: JsonSchema = {}): MapField<T> => ({
    kind: 'map',
    default: value,
    description,
    values,
  }),
};

/** The default values of a field, as the chart's values.yaml holds them. */
export function defaultsOf<F extends Field>(field: F): ValueOf<F> {
  if (field.kind !== 'object') return structuredClone(field.default) as ValueOf<F>;
  const out: { [key: string]: unknown } = {};
  for (const [key, child] of Object.entries(field.fields)) out[key] = defaultsOf(child);
  return out as ValueOf<F>;
}

/** Every leaf of a field, depth first, with its dotted path (for the README table and the config maps). */
export function leavesOf(
  field: ObjectField,
  prefix = '',
): { path: string; field: Exclude<Field, ObjectField> }[] {
  const out: { path: string; field: Exclude<Field, ObjectField> }[] = [];
  for (const [key, child] of Object.entries(field.fields)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (child.kind === 'object') out.push(...leavesOf(child, path));
    else out.push({ path, field: child });
  }
  return out;
}
