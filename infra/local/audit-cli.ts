import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../function.ts';

/**
 * The audit record of a competition on the running local stack (`npm start`
 * in another terminal), through the same admin route an organizer calls:
 *
 *   npm run audit -- verify <competitionId>   exits 1 naming the first record changed, removed or reordered
 */
const [command, competitionId] = process.argv.slice(2);
const api = process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;

const main = async () => {
  if (command !== 'verify' || !competitionId) {
    console.error('usage: npm run audit -- verify <competitionId>');
    process.exit(2);
  }
  const key = readFileSync(path.join(REPO_ROOT, '.local', 'admin-key'), 'utf8').trim();
  const r = await fetch(`${api}/admin/competitions/${competitionId}/audit`, { headers: { 'x-admin-key': key } });
  const body = (await r.json()) as {
    ok?: boolean;
    records?: number;
    firstProblem?: { shard: number; seq: number; problem: string; detail: string };
    error?: { message: string };
  };
  if (!r.ok) {
    console.error(`${competitionId}: ${r.status} ${body.error?.message ?? ''}`);
    process.exit(2);
  }
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
