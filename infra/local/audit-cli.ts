import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../function.ts';

/**
 * The audit record of a competition on the running local stack (`npm start`
 * in another terminal), through the same admin route an organizer calls:
 *
 *   npm run audit -- verify <competitionId>            exits 1 naming the first record changed, removed or reordered
 *   npm run audit -- replay <competitionId> <roundId>  exits 1 when the decisions recomputed from the record differ
 *   npm run audit -- replay <competitionId> awards     the same for the award proposal, amendments and publication
 */
const [command, competitionId, roundId] = process.argv.slice(2);
const USAGE =
  'usage: npm run audit -- verify <competitionId>\n       npm run audit -- replay <competitionId> <roundId | awards>';

const get = async (route: string) => {
  const key = readFileSync(path.join(REPO_ROOT, '.local', 'admin-key'), 'utf8').trim();
  const r = await fetch(`${api}${route}`, { headers: { 'x-admin-key': key } });
  const body = (await r.json()) as Record<string, unknown> & { error?: { message: string } };
  if (!r.ok) {
    console.error(`${route}: ${r.status} ${body.error?.message ?? ''}`);
    process.exit(2);
  }
  return body;
};

const replay = async () => {
  const body = (await get(`/admin/competitions/${competitionId}/rounds/${roundId}/replay`)) as {
    matches: boolean;
    decisions?: number;
    steps?: unknown[];
    published?: number | null;
    differences: number;
    hashes: unknown;
    firstDifferences: unknown[];
  };
  const what =
    roundId === 'awards'
      ? `${body.steps?.length} award steps (proposal, amendments, publication)`
      : `${body.decisions} decisions`;
  if (body.matches) {
    console.log(`${competitionId}/${roundId}: ${what} replayed from the record, identical`);
    return;
  }
  console.error(`${competitionId}/${roundId}: the replay differs — ${body.differences} difference(s)`);
  console.error(JSON.stringify({ hashes: body.hashes, firstDifferences: body.firstDifferences.slice(0, 10) }, null, 2));
  process.exit(1);
};
const api = process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;

const main = async () => {
  if (command === 'replay' && competitionId && roundId) return replay();
  if (command !== 'verify' || !competitionId) {
    console.error(USAGE);
    process.exit(2);
  }
  const body = (await get(`/admin/competitions/${competitionId}/audit`)) as {
    ok?: boolean;
    records?: number;
    firstProblem?: { shard: number; seq: number; problem: string; detail: string };
  };
  if (body.ok) {
    console.log(`${competitionId}: audit record intact (${body.records} records)`);
    return;
  }
  const p = body.firstProblem!;
  console.error(`${competitionId}: ${p.problem} at chain ${p.shard}, record ${p.seq}: ${p.detail}`);
  process.exit(1);
};

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(2);
});
