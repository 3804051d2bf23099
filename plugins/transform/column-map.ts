/** transform: maps source columns to monday column values with explicit types; a bad row fails alone. */
import * as v from 'valibot';
import {
  FieldTemplateSchema,
  compileFieldTemplate,
  definePlugin,
  fieldText,
  truncateText,
  RunStopError,
  type ColumnMeta,
  type ColumnRef,
  type FieldRef,
  type FieldTemplate,
  type PlannedEntity,
  type Row,
  type StageNeeds,
  type Transformer,
} from '../../src/pipeline/index.ts';
import { COLUMN_TYPES, converterFor, Refusal, type ColumnType, type Converter } from './column-values.ts';

const Template = FieldTemplateSchema;

const ColumnId = v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_]{0,63}$/, 'a monday column id looks like text_mkr5wya6'));

/** One source column → one monday column. */
const ColumnSchema = v.strictObject({
  /** monday column id, e.g. `text_mkr5wya6`. */
  id: ColumnId,
  /** monday column type; decides how the value is converted. */
  type: v.picklist(COLUMN_TYPES, `type is one of ${COLUMN_TYPES.join(', ')}`),
  /** An empty value fails the record instead of leaving the column blank. Default false. */
  required: v.optional(v.boolean(), false),
  /**
   * Who keeps the value: `source` (default; the database), `monday` (people edit it on the board: set only
   * when the item is created, never updated) or `shared` (both edit it; updates follow the conflict policy).
   */
  owner: v.optional(v.picklist(['source', 'monday', 'shared'], 'owner is source, monday or shared'), 'source'),
  /** This column's conflict policy (`flag`, `overwrite`, `keep-monday`); default: the load stage's `onConflict`. */
  onConflict: v.optional(v.picklist(['flag', 'overwrite', 'keep-monday'], 'onConflict is flag, overwrite or keep-monday')),
});

/** The source column holding a record's own key, and the monday text column it is written to. */
const KeySchema = v.strictObject({ column: v.string(), id: ColumnId });

/** No two source columns may write to the same monday column. */
function uniqueTargets(columns: Record<string, { id: string }>, key: { id: string } | undefined, addIssue: (info: { message: string; path?: [v.ObjectPathItem] }) => void, input: Record<string, unknown>): void {
  const seen = new Map<string, string>();
  if (key) seen.set(key.id, 'key');
  for (const [source, column] of Object.entries(columns)) {
    const first = seen.get(column.id);
    if (first) {
      addIssue({
        message: `${source} and ${first} both map to monday column ${column.id}`,
        path: [{ type: 'object', origin: 'value', input, key: source, value: column }],
      });
    } else seen.set(column.id, source);
  }
}

/** Options of column-map. */
export const ColumnMapOptionsSchema = v.pipe(
  v.strictObject({
    /** Item name template, e.g. `{{customer_style}} {{color}} {{order_number}}`. */
    itemName: Template,
    /** Where the order's key goes on monday (used to find an item again after a crash). */
    key: v.optional(KeySchema),
    /** Header columns: source column → monday column. */
    columns: v.record(v.string(), ColumnSchema),
    /** Subitem name template. Default `{{size}}`. */
    subitemName: v.optional(Template, '{{size}}'),
    subitemKey: v.optional(KeySchema),
    /** Line columns: source column → subitem-board column. */
    subitemColumns: v.optional(v.record(v.string(), ColumnSchema), {}),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const o = dataset.value;
    uniqueTargets(o.columns, o.key, (i) => addIssue({ ...i, path: i.path && [{ type: 'object', origin: 'value', input: o, key: 'columns', value: o.columns }, ...i.path] }), o.columns);
    uniqueTargets(o.subitemColumns, o.subitemKey, (i) => addIssue({ ...i, path: i.path && [{ type: 'object', origin: 'value', input: o, key: 'subitemColumns', value: o.subitemColumns }, ...i.path] }), o.subitemColumns);
  }),
);

/** Checked options of column-map. */
export type ColumnMapOptions = v.InferOutput<typeof ColumnMapOptionsSchema>;

type Mapping = ColumnMapOptions['columns'];
const NAME_MAX = 255;

/** The load stage's view of a mapping: type, owner and policy per monday column id (the name and key are the source's). */
function columnMetaOf(mapping: Mapping, keyTarget: { id: string } | undefined): Readonly<Record<string, ColumnMeta>> {
  const meta: Record<string, ColumnMeta> = { name: { type: 'name', owner: 'source', onConflict: null, field: null } };
  for (const [field, c] of Object.entries(mapping)) meta[c.id] = { type: c.type, owner: c.owner, onConflict: c.onConflict ?? null, field };
  if (keyTarget) meta[keyTarget.id] = { type: 'text', owner: 'source', onConflict: null, field: null };
  return meta;
}

/** One mapped column with its converter, compiled once per run. */
interface CompiledColumn {
  source: string;
  id: string;
  type: ColumnType;
  required: boolean;
  convert: Converter;
}

/** How one kind of entity is mapped: its name template, its columns and its key column, compiled once per run. */
interface EntityMapping {
  entity: PlannedEntity['entity'];
  name: FieldTemplate;
  columns: CompiledColumn[];
  key: { column: string; id: string } | undefined;
}

function compileMapping(entity: PlannedEntity['entity'], name: string, mapping: Mapping, key: EntityMapping['key']): EntityMapping {
  const columns = Object.entries(mapping).map(([source, c]) => ({ source, id: c.id, type: c.type, required: c.required, convert: converterFor(c.type) }));
  return { entity, name: compileFieldTemplate(name), columns, key };
}

/** Characters as monday counts them (code points); only a name longer than NAME_MAX UTF-16 units can be too long. */
const codePoints = (text: string): number => (text.length <= NAME_MAX ? text.length : [...text].length);

/** Maps one row; collects every problem of the row in one message. */
function mapEntity(
  m: EntityMapping,
  key: string,
  row: Row,
  existing: { mondayId: string | null; retryCount: number; attemptId: string | null },
  columnMeta: Readonly<Record<string, ColumnMeta>>,
): PlannedEntity {
  let problems: string[] | null = null;
  const columns: Record<string, unknown> = {};
  for (const column of m.columns) {
    const { source } = column;
    // A missing column is a configuration error (preflight names it), never a null sent to monday.
    if (!(source in row)) throw new RunStopError(`column-map: source column ${source} is not in the ${m.entity === 'item' ? 'header' : 'line'} rows; check stages.transform.with.${m.entity === 'item' ? 'columns' : 'subitemColumns'}.${source}`);
    const raw = row[source];
    if (fieldText(raw) === '' && !(column.type === 'checkbox' && raw === false)) {
      if (column.required) (problems ??= []).push(`${source}: required but empty`);
      else if (existing.mondayId) columns[column.id] = null; // clears the value on update
      continue;
    }
    const converted = column.convert(raw);
    if (converted instanceof Refusal) (problems ??= []).push(`${source}: ${converted.reason}`);
    else columns[column.id] = converted;
  }
  if (m.key) columns[m.key.id] = fieldText(row[m.key.column]) || key;
  const name = m.name.renderText(row);
  const length = codePoints(name);
  if (!name) (problems ??= []).push(`name: template ${m.name.source} gives an empty name`);
  else if (length > NAME_MAX) {
    // Say which field made it long: the name is built by a template the reader may not remember.
    const longest = m.name.fields.map((f) => ({ f, n: [...fieldText(row[f])].length })).sort((a, b) => b.n - a.n)[0];
    const from = longest && longest.n > 0 ? ` (built by ${m.name.source}; ${longest.f} alone is ${longest.n})` : '';
    (problems ??= []).push(`name: ${length} characters; monday allows 1–${NAME_MAX}${from}`);
  }
  return {
    entity: m.entity,
    key,
    name: truncateText(name, 1000),
    columns,
    mondayId: existing.mondayId,
    keyColumn: m.key?.id ?? null,
    retryCount: existing.retryCount,
    attemptId: existing.attemptId,
    problem: problems ? problems.join('; ') : null,
    deferred: null,
    columnMeta,
  };
}

function createTransformer(o: ColumnMapOptions): Transformer {
  const item = compileMapping('item', o.itemName, o.columns, o.key);
  const subitem = compileMapping('subitem', o.subitemName, o.subitemColumns, o.subitemKey);
  // One map per mapping, shared by every entity it plans.
  const itemMeta = columnMetaOf(o.columns, o.key);
  const subitemMeta = columnMetaOf(o.subitemColumns, o.subitemKey);
  return {
    map(record, board) {
      const planned = record.state === 'SYNCED' && record.mondayId ? null : mapEntity(item, record.key, record.fields, record, itemMeta);
      const subitems = record.lines.map((line) => mapEntity(subitem, line.key, line.fields, line, subitemMeta));
      return { source: record, board, item: planned, subitems, groupTitle: null, groupId: record.groupId };
    },
  };
}

/** The source fields and monday columns of the mapping, for preflight. */
function describeMapping(o: ColumnMapOptions): StageNeeds {
  const fields = (template: string, path: (string | number)[]): FieldRef[] => compileFieldTemplate(template).fields.map((field) => ({ field, path }));
  const mapped = (mapping: Mapping, option: 'columns' | 'subitemColumns'): { reads: FieldRef[]; writes: ColumnRef[] } => ({
    reads: Object.keys(mapping).map((field) => ({ field, path: [option, field] })),
    writes: Object.entries(mapping).map(([field, c]) => ({ id: c.id, type: c.type, path: [option, field, 'id'], field })),
  });
  const key = (k: ColumnMapOptions['key'], option: 'key' | 'subitemKey'): { reads: FieldRef[]; writes: ColumnRef[] } => (k
    ? { reads: [{ field: k.column, path: [option, 'column'] }], writes: [{ id: k.id, type: 'text', path: [option, 'id'], field: null }] }
    : { reads: [], writes: [] });
  const item = [mapped(o.columns, 'columns'), key(o.key, 'key')];
  const subitem = [mapped(o.subitemColumns, 'subitemColumns'), key(o.subitemKey, 'subitemKey')];
  return {
    reads: {
      headers: [...fields(o.itemName, ['itemName']), ...item.flatMap((x) => x.reads)],
      lines: [...fields(o.subitemName, ['subitemName']), ...subitem.flatMap((x) => x.reads)],
    },
    writes: { item: item.flatMap((x) => x.writes), subitem: subitem.flatMap((x) => x.writes) },
    keys: { item: o.key?.id, subitem: o.subitemKey?.id },
  };
}

/** The column-map transform plugin. */
export default definePlugin({
  kind: 'transform',
  name: 'column-map',
  summary: 'Maps source columns to typed monday column values and names items and subitems from templates',
  options: ColumnMapOptionsSchema,
  example: {
    itemName: '{{customer_style}} {{color}} {{order_number}}',
    key: { column: 'order_number', id: 'text_mkr5ord0' },
    columns: {
      customer_style: { id: 'text_mkr5wya6', type: 'text' },
      total_quantity: { id: 'numeric_mktb1d19', type: 'numbers' },
      order_date: { id: 'date_mkr5zp5', type: 'date' },
    },
    subitemName: '{{size}}',
    subitemColumns: { quantity: { id: 'numeric_mkr6b2qt', type: 'numbers', required: true } },
  },
  create: (options) => createTransformer(options),
  describe: (options) => describeMapping(options),
});
