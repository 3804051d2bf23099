/**
 * group-resolve: one monday group per title (e.g. `GREYSON 2025 FALL`), never two.
 * monday allows duplicate titles, so uniqueness is ours: the groups table, a database lock per
 * board and title, and a second look at the board before creating.
 */
import * as v from 'valibot';
import { sql } from 'kysely';
import {
  FieldTemplateSchema,
  compileFieldTemplate,
  definePlugin,
  type GroupResolver,
  type PlannedRecord,
  type PluginContext,
  type ResolvedGroup,
} from '../../src/pipeline/index.ts';

const Template = FieldTemplateSchema;

/** Options of monday-groups. */
export const MondayGroupsOptionsSchema = v.strictObject({
  /** Group title template, e.g. `{{customer_name}} {{customer_season}}`. */
  name: Template,
  /** Tried in order when a field of `name` is empty. Default none. */
  fallbacks: v.optional(v.array(Template), []),
  /** Title used when every template has an empty field; unset → the record fails with the reason. */
  catchAll: v.optional(v.pipe(v.string(), v.trim(), v.nonEmpty())),
  /** Color of created groups (monday hex), e.g. `#579bfc`. Default monday's choice. */
  color: v.optional(v.pipe(v.string(), v.regex(/^#[0-9a-fA-F]{6}$/, 'a color is a hex like #579bfc'))),
});

/** Checked options of monday-groups. */
export type MondayGroupsOptions = v.InferOutput<typeof MondayGroupsOptionsSchema>;

interface BoardGroups {
  boards: { groups: { id: string; title: string }[] }[];
}

const BOARD_GROUPS = 'query ($ids: [ID!]) { boards(ids: $ids) { groups { id title } } }';

/** Result of resolving one title: the group, or why records of that title cannot be sent now. */
type TitleResolution = { group: ResolvedGroup } | { problem: string; transient: boolean; board: string; title: string };

function createResolver(o: MondayGroupsOptions, ctx: PluginContext): GroupResolver {
  const templates = [o.name, ...o.fallbacks].map(compileFieldTemplate);
  const cache = new Map<string, TitleResolution>();

  const titleFor = (record: PlannedRecord): { title: string } | { problem: string } => {
    const tried: string[] = [];
    for (const template of templates) {
      const { text, missing } = template.render(record.source.fields);
      if (missing.length === 0 && text) return { title: text };
      tried.push(missing.join(', '));
    }
    if (o.catchAll) return { title: o.catchAll };
    return { problem: `no group title: empty ${[...new Set(tried.join(', ').split(', '))].join(', ')}` };
  };

  const lookOnBoard = async (board: string, title: string): Promise<string | null> => {
    const { data } = await ctx.monday.query<BoardGroups>(BOARD_GROUPS, { ids: [board] });
    return data.boards[0]?.groups.find((g) => g.title === title)?.id ?? null;
  };

  const create = async (board: string, title: string): Promise<TitleResolution> => {
    const args: Record<string, { type: string; value: unknown }> = {
      board_id: { type: 'ID!', value: board },
      group_name: { type: 'String!', value: title },
    };
    if (o.color) args.group_color = { type: 'String', value: o.color };
    const [result] = await ctx.monday.mutate<{ id: string }>(board, [{ key: title, field: 'create_group', args, selection: 'id' }]);
    if (!result || !result.ok) {
      const error = result && !result.ok ? result.error : null;
      return { board, title, problem: `group "${title}" could not be created: ${error?.message ?? 'no result'}`, transient: error?.class !== 'permanent' };
    }
    return { group: { board, title, groupId: result.data.id, origin: 'created' } };
  };

  const resolveTitle = async (board: string, title: string): Promise<TitleResolution> => {
    const known = await ctx.db.selectFrom('ordersync_groups').select('group_id').where('board_id', '=', board).where('title', '=', title).executeTakeFirst();
    if (known) return { group: { board, title, groupId: known.group_id, origin: 'reused' } };
    if (ctx.dryRun) {
      const onBoard = await lookOnBoard(board, title);
      return { group: { board, title, groupId: onBoard, origin: onBoard ? 'adopted' : 'planned' } };
    }
    // One creator per board and title across processes: the lock is held until the row is committed.
    return ctx.db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${`ordersync-group:${board}:${title}`}))`.execute(tx);
      const again = await tx.selectFrom('ordersync_groups').select('group_id').where('board_id', '=', board).where('title', '=', title).executeTakeFirst();
      if (again) return { group: { board, title, groupId: again.group_id, origin: 'reused' as const } };
      const onBoard = await lookOnBoard(board, title);
      const resolution: TitleResolution = onBoard
        ? { group: { board, title, groupId: onBoard, origin: 'adopted' } }
        : await create(board, title);
      if ('group' in resolution && resolution.group.groupId) {
        await tx.insertInto('ordersync_groups').values({ board_id: board, title, group_id: resolution.group.groupId, created_by_run: ctx.runId }).execute();
      }
      return resolution;
    });
  };

  return {
    async resolve(records) {
      const touched = new Map<string, ResolvedGroup>();
      for (const record of records) {
        if (!record.item) continue;
        const found = titleFor(record);
        if ('problem' in found) {
          record.item.problem = record.item.problem ? `${record.item.problem}; ${found.problem}` : found.problem;
          continue;
        }
        record.groupTitle = found.title;
        const cacheKey = `${record.board}\u0000${found.title}`;
        let resolution = cache.get(cacheKey);
        if (!resolution) {
          resolution = await resolveTitle(record.board, found.title);
          // A transient failure is not cached: the next page may try again.
          if (!('problem' in resolution && resolution.transient)) cache.set(cacheKey, resolution);
        }
        if ('group' in resolution) {
          record.groupId = resolution.group.groupId;
          touched.set(cacheKey, resolution.group);
        } else if (resolution.transient) {
          record.item.deferred = resolution.problem;
        } else {
          record.item.problem = resolution.problem;
        }
      }
      return [...touched.values()];
    },
  };
}

/** The monday-groups group-resolve plugin. */
export default definePlugin({
  kind: 'group-resolve',
  name: 'monday-groups',
  summary: 'Finds or creates exactly one monday group per title (customer + season), recorded in ordersync_groups',
  options: MondayGroupsOptionsSchema,
  example: { name: '{{customer_name}} {{customer_season}}', fallbacks: ['{{customer_name}} {{aag_season}}'] },
  create: (options, ctx) => createResolver(options, ctx),
});
