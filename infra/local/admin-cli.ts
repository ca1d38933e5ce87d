import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../function.ts';

/**
 * Organizer shortcuts against the running local stack (`npm start` in another
 * terminal). They call the same admin routes a console user would.
 *
 *   npm run admin -- set-deadline <competitionId> <ISO time | +90s | +10m>
 *   npm run admin -- round <competitionId> <roundId>
 */
const [command, competitionId, arg] = process.argv.slice(2);
const api = process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
const headers = {
  'content-type': 'application/json',
  'x-admin-key': readFileSync(path.join(REPO_ROOT, '.local', 'admin-key'), 'utf8').trim(),
};

const when = (s: string) => {
  const rel = /^\+(\d+)([smh])$/.exec(s);
  if (!rel) return new Date(s).toISOString();
  return new Date(Date.now() + Number(rel[1]) * { s: 1e3, m: 6e4, h: 3.6e6 }[rel[2] as 's' | 'm' | 'h']).toISOString();
};

const call = async (method: string, p: string, body?: unknown) => {
  const r = await fetch(`${api}${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await r.json();
  if (!r.ok) throw new Error(`${method} ${p} → ${r.status} ${JSON.stringify(json)}`);
  // biome-ignore lint/suspicious/noExplicitAny: the CLI reads fields of the API's JSON answers ad hoc.
  return json as Record<string, any>;
};

const main = async () => {
  if (command === 'set-deadline' && competitionId && arg) {
    const { competition } = await call('GET', `/admin/competitions/${competitionId}`);
    const { competitionId: _i, version: _v, createdAt: _c, updatedAt: _u, ...config } = competition;
    const deadline = when(arg);
    config.rounds[0].submissionDeadline = deadline;
    // Later rounds must open after the deadline: move any that would not.
    let floor = Date.parse(deadline);
    for (const r of config.rounds.slice(1)) {
      const span = Date.parse(r.reviewClosesAt) - Date.parse(r.reviewOpensAt);
      if (Date.parse(r.reviewOpensAt) < floor) {
        r.reviewOpensAt = new Date(floor + 60_000).toISOString();
        r.reviewClosesAt = new Date(floor + 60_000 + span).toISOString();
      }
      floor = Date.parse(r.reviewClosesAt);
    }
    await call('PUT', `/admin/competitions/${competitionId}`, config);
    console.log(`${competitionId}: submission deadline is now ${deadline}`);
  } else if (command === 'round' && competitionId && arg) {
    console.log(JSON.stringify(await call('GET', `/admin/competitions/${competitionId}/rounds/${arg}`), null, 2));
  } else {
    console.error(
      'usage: npm run admin -- set-deadline <competitionId> <ISO|+90s|+10m>\n       npm run admin -- round <competitionId> <roundId>',
    );
    process.exit(2);
  }
};

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
