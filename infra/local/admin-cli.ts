import { adminClient } from './admin-client.ts';
import { watch } from './watch.ts';

/**
 * Organizer shortcuts. They call the same admin routes a console user would: on the local stack
 * (`npm start` in another terminal) with its admin key, or on AWS with SigV4 when API_URL is the
 * stack's ApiUrl output (see ./admin-client.ts).
 *
 *   npm run admin -- set-deadline <competitionId> <ISO time | +90s | +10m>
 *   npm run admin -- round <competitionId> <roundId>
 *   npm run admin -- watch <competitionId> [--once] [--interval <seconds>]
 */
const [command, competitionId, ...rest] = process.argv.slice(2);
const arg = rest[0];

const when = (s: string) => {
  const rel = /^\+(\d+)([smh])$/.exec(s);
  if (!rel) return new Date(s).toISOString();
  return new Date(Date.now() + Number(rel[1]) * { s: 1e3, m: 6e4, h: 3.6e6 }[rel[2] as 's' | 'm' | 'h']).toISOString();
};

// ADMIN_KEY: another local stack's key (the screenshot script's); otherwise .local/admin-key.
const client = () => adminClient({ apiUrl: process.env.API_URL, adminKey: process.env.ADMIN_KEY });
// biome-ignore lint/suspicious/noExplicitAny: the CLI reads fields of the API's JSON answers ad hoc.
type Json = Record<string, any>;
const call = (method: string, p: string, body?: unknown) => client().call(method, p, body) as Promise<Json>;

const flag = (name: string) => rest.includes(name);
const option = (name: string, fallback: number) => {
  const i = rest.indexOf(name);
  const v = i >= 0 ? Number(rest[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} takes a positive number of seconds`);
  return v;
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
  } else if (command === 'watch' && competitionId) {
    await watch(client(), competitionId, { once: flag('--once'), intervalMs: option('--interval', 2) * 1000 });
  } else {
    console.error(
      [
        'usage: npm run admin -- set-deadline <competitionId> <ISO|+90s|+10m>',
        '       npm run admin -- round <competitionId> <roundId>',
        '       npm run admin -- watch <competitionId> [--once] [--interval <seconds>]',
        'API_URL=<the stack ApiUrl output> signs with SigV4 (AWS credentials as the AWS CLI finds them).',
      ].join('\n'),
    );
    process.exit(2);
  }
};

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
