/** Test helper: the flagship pipeline file copied into a temp dir, on its own PGlite dir or its own PostgreSQL database. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createPostgresDatabase } from './test-database.ts';

/** Writes `<dir>/<dialect>.yaml`; its reports go under `<dir>/reports`. `drop` removes the PostgreSQL database (nothing for PGlite). */
export async function writePipelineCopy(dir: string, dialect: 'pglite' | 'postgres', dataDirName: string): Promise<{ file: string; drop: () => Promise<void> }> {
  let database = `url: ""\n  dataDir: ${join(dir, dataDirName)}`;
  let drop = async (): Promise<void> => {};
  if (dialect === 'postgres') {
    const pg = await createPostgresDatabase();
    database = `url: "${pg.url}"`;
    drop = pg.drop;
  }
  const file = join(dir, `${dialect}.yaml`);
  await writeFile(file, (await readFile('config/order-list.yaml', 'utf8'))
    .replace('url: "${DATABASE_URL:-}"', database)
    .replace('outDir: reports/sync', `outDir: ${join(dir, 'reports')}`)
    .replaceAll('../templates/', `${process.cwd()}/templates/`));
  return { file, drop };
}
