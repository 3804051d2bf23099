/**
 * group-resolve: one monday group per title (e.g. `GREYSON 2025 FALL`), never two.
 * monday allows duplicate titles, so uniqueness is ours: the groups table, a database lock per
 * board and title, and a second look at the board before creating.
 */
import * as v from 'valibot';
import {
  FieldTemplateSchema,
  compileFieldTemplate,
  definePlugin,
  RunStopError,
  type GroupAssignment,
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
    for (const template of templates) {
      const text = template.renderComplete(record.source.fields);
      if (text) return { title: text };
    }
    if (o.catchAll) return { title: o.catchAll };
    // Every template has a blank field: render them again to say which.
    const tried = templates.map((template) => template.render(record.source.fields).missing.join(', '));
    return { problem: `no group title: empty ${[...new Set(tried.join(', ').split(', '))].join(', ')}` };
  };

  const boardGroups = async (board: string): Promise<{ id: string; title: string }[]> => {
    const { data } = await ctx.monday.query<BoardGroups>(BOARD_GROUPS, { ids: [board] });
    return data.boards[0]?.groups ?? [];
  };
  // A dry run creates nothing, so one look per board serves the whole run (customers often share a board).
  const seenBoards = new Map<string, Promise<{ id: string; title: string }[]>>();
  const boardGroupsOnce = (board: string): Promise<{ id: string; title: string }[]> => {
    let groups = seenBoards.get(board);
    if (!groups) {
      groups = boardGroups(board);
      seenBoards.set(board, groups);
      // A failed look is not kept: the next page asks again.
      groups.catch(() => seenBoards.delete(board));
    }
    return groups;
  };

  /** Creates the missing titles on one board in one aliased request; each title gets its own outcome. */
  const create = async (board: string, titles: string[]): Promise<Map<string, TitleResolution>> => {
    const ops = titles.map((title) => {
      const args: Record<string, { type: string; value: unknown }> = { board_id: { type: 'ID!', value: board }, group_name: { type: 'String!', value: title } };
      if (o.color) args.group_color = { type: 'String', value: o.color };
      return { key: title, field: 'create_group', args, selection: 'id' };
    });
    const results = new Map((await ctx.monday.mutate<{ id: string }>(board, ops, { idempotencyScope: ctx.runId })).map((r) => [r.key, r]));
    return new Map(titles.map((title): [string, TitleResolution] => {
      const result = results.get(title);
      if (result?.ok) return [title, { group: { board, title, groupId: result.data.id, origin: 'created' } }];
      const error = result && !result.ok ? result.error : null;
      if (error?.class === 'configuration') throw new RunStopError(`monday-groups: ${error.code}: ${error.message} — board ${board} of the config does not exist on monday; fix the config (ordersync validate --online) and run again`);
      return [title, { board, title, problem: `group "${title}" could not be created: ${error?.message ?? 'no result'}`, transient: error?.class !== 'permanent' }];
    }));
  };

  const known = async (db: typeof ctx.db, board: string, titles: string[]): Promise<Map<string, string>> => {
    const rows = await db.selectFrom('ordersync_groups').select(['title', 'group_id']).where('board_id', '=', board).where('title', 'in', titles).execute();
    return new Map(rows.map((r) => [r.title, r.group_id]));
  };

  /** Resolves the titles of one board: the table, else the board (adopt), else create — once per title across processes. */
  const resolveTitles = async (board: string, titles: string[]): Promise<Map<string, TitleResolution>> => {
    const out = new Map<string, TitleResolution>();
    const reuse = (map: Map<string, string>): string[] => {
      for (const [title, groupId] of map) out.set(title, { group: { board, title, groupId, origin: 'reused' } });
      return titles.filter((t) => !out.has(t));
    };
    let missing = reuse(await known(ctx.db, board, titles));
    if (missing.length === 0) return out;
    if (ctx.dryRun) {
      const onBoard = await boardGroupsOnce(board);
      for (const title of missing) {
        const groupId = onBoard.find((g) => g.title === title)?.id ?? null;
        out.set(title, { group: { board, title, groupId, origin: groupId ? 'adopted' : 'planned' } });
      }
      return out;
    }
    // One creator per board and title across processes: the locks are held until the rows are committed.
    // kysely's sql loads with the first group to create, not when a config is validated.
    const { sql } = await import('kysely');
    return ctx.db.transaction().execute(async (tx) => {
      for (const title of [...missing].sort()) await sql`select pg_advisory_xact_lock(hashtext(${`ordersync-group:${board}:${title}`}))`.execute(tx);
      missing = reuse(await known(tx, board, missing));
      if (missing.length === 0) return out;
      // Look again on the board: monday allows duplicate titles, so only we can prevent them.
      const onBoard = await boardGroups(board);
      const absent: string[] = [];
      for (const title of missing) {
        const groupId = onBoard.find((g) => g.title === title)?.id;
        if (groupId) out.set(title, { group: { board, title, groupId, origin: 'adopted' } });
        else absent.push(title);
      }
      if (absent.length > 0) for (const [title, resolution] of await create(board, absent)) out.set(title, resolution);
      const rows = [...out.values()].flatMap((r) => ('group' in r && r.group.origin !== 'reused' && r.group.groupId
        ? [{ board_id: board, title: r.group.title, group_id: r.group.groupId, created_by_run: ctx.runId }] : []));
      if (rows.length > 0) await tx.insertInto('ordersync_groups').values(rows).execute();
      return out;
    });
  };

  return {
    async resolve(records) {
      const keyOf = (board: string, title: string): string => `${board}\u0000${title}`;
      const titles = new Map<PlannedRecord, { title: string } | { problem: string }>();
      const wanted = new Map<string, Set<string>>();
      for (const record of records) {
        if (!record.item) continue;
        const found = titleFor(record);
        titles.set(record, found);
        if ('title' in found && !cache.has(keyOf(record.board, found.title))) wanted.set(record.board, (wanted.get(record.board) ?? new Set()).add(found.title));
      }
      const transientNow = new Map<string, TitleResolution>();
      for (const [board, boardTitles] of wanted) {
        for (const [title, resolution] of await resolveTitles(board, [...boardTitles])) {
          // A transient failure is not cached: the next page may try again.
          if ('problem' in resolution && resolution.transient) {
            cache.delete(keyOf(board, title));
            transientNow.set(keyOf(board, title), resolution);
          } else cache.set(keyOf(board, title), resolution);
        }
      }
      const touched = new Map<string, ResolvedGroup>();
      const assignments: GroupAssignment[] = [];
      for (const [record, found] of titles) {
        const assignment: GroupAssignment = { key: record.source.key, title: null, groupId: record.groupId, problem: null, deferred: null };
        assignments.push(assignment);
        if ('problem' in found) {
          assignment.problem = found.problem;
          continue;
        }
        assignment.title = found.title;
        const key = keyOf(record.board, found.title);
        const resolution = cache.get(key) ?? transientNow.get(key);
        if (!resolution) continue;
        if ('group' in resolution) {
          assignment.groupId = resolution.group.groupId;
          touched.set(key, resolution.group);
        } else if (resolution.transient) assignment.deferred = resolution.problem;
        else assignment.problem = resolution.problem;
      }
      return { assignments, groups: [...touched.values()] };
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
  describe: (options) => ({
    reads: {
      headers: [options.name, ...options.fallbacks].flatMap((template, i) =>
        compileFieldTemplate(template).fields.map((field) => ({ field, path: i === 0 ? ['name'] : ['fallbacks', i - 1] }))),
    },
  }),
});
