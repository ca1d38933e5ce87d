import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../function.ts';
import { demoCompetition, demoEntry, demoNeeds, DEMO_COMPETITION_ID } from './demo.ts';
import { assertJava } from './dynamodb.ts';
import { startLocalStack } from './stack.ts';

/**
 * `npm start`: the whole system on this machine. DynamoDB data and executions
 * live under .local/ across restarts; `npm start -- --fresh` wipes them.
 */
const { values: args } = parseArgs({
  options: {
    fresh: { type: 'boolean', default: false },
    port: { type: 'string', default: process.env.PORT ?? '3000' },
    'dynamodb-port': { type: 'string', default: process.env.DYNAMODB_PORT ?? '8000' },
    'sfn-port': { type: 'string', default: process.env.SFN_PORT ?? '8083' },
    's3-port': { type: 'string', default: process.env.S3_PORT ?? '8084' },
  },
});

const LOCAL = path.join(REPO_ROOT, '.local');
if (args.fresh) {
  rmSync(path.join(LOCAL, 'dynamodb'), { recursive: true, force: true });
  rmSync(path.join(LOCAL, 'stepfunctions'), { recursive: true, force: true });
  rmSync(path.join(LOCAL, 'mail.jsonl'), { force: true });
  rmSync(path.join(LOCAL, 's3'), { recursive: true, force: true });
}
mkdirSync(LOCAL, { recursive: true });
const keyFile = path.join(LOCAL, 'admin-key');
if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
const adminKey = readFileSync(keyFile, 'utf8').trim();

const main = async () => {
  assertJava(); // before anything slow: one clear sentence if Java is missing
  const stack = await startLocalStack({
    dataDir: LOCAL,
    httpPort: Number(args.port),
    dynamoPort: Number(args['dynamodb-port']),
    sfnPort: Number(args['sfn-port']),
    s3Port: Number(args['s3-port']),
    adminKey,
    // Every e-mail the delivery function sends through the local SES, as one console line with its links.
    onMail: (m) => {
      const links = m.text.match(/https?:\/\/\S+/g) ?? [];
      console.log(`✉  ${m.to.join(', ')} — ${m.subject}${links.map((l) => `\n     ${l}`).join('')}`);
    },
    onStreamError: (message, detail) =>
      console.error(`stream: ${message}`, detail instanceof Error ? detail.message : ''),
  });

  // The demo competition, once: later starts find it and keep it as it is.
  const admin = { 'content-type': 'application/json', 'x-admin-key': adminKey };
  const existing = await fetch(`${stack.apiUrl}/admin/competitions/${DEMO_COMPETITION_ID}`, { headers: admin });
  if (existing.status === 404) {
    const r = await fetch(`${stack.apiUrl}/admin/competitions`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify(demoCompetition()),
    });
    if (!r.ok) throw new Error(`could not create the demo competition: ${r.status} ${await r.text()}`);
    await seedDemoNeeds(stack.apiUrl, admin);
  } else {
    // Data kept from an earlier version may predate the keyword search's lines: write them (idempotent).
    const r = await fetch(`${stack.apiUrl}/admin/competitions/${DEMO_COMPETITION_ID}/needs/search-index`, {
      method: 'POST',
      headers: admin,
    });
    if (!r.ok) throw new Error(`could not index the demo needs: ${r.status} ${await r.text()}`);
  }
  const interrupted = stack.sfn.interrupted;

  const entry = JSON.stringify(demoEntry());
  console.log(`
Innovation challenge — local stack is up

  HTTP API          ${stack.apiUrl}        (OpenAPI: ${stack.apiUrl}/openapi.json)
  DynamoDB          ${stack.dynamoEndpoint}   table ${stack.tableName} (DynamoDB Local behind a gate that checks each function's role)
  Step Functions    ${stack.sfnEndpoint}   (also Secrets Manager and SES)  state machines:
                    ${stack.intakeStateMachineArn}
                    ${stack.reviewStateMachineArn}
  Outbox (mail)     ${stack.sfnEndpoint}/mail   (what SES would have sent; also printed below as ✉)
  Metrics           ${stack.sfnEndpoint}/metrics   (the functions' EMF metrics, as CloudWatch would extract them: an
                    emulation; POWERTOOLS_LOG_LEVEL=DEBUG npm start also prints each EMF line)
  Watch             npm run admin -- watch ${DEMO_COMPETITION_ID}   (live progress in this terminal)
  S3 (documents)    ${stack.s3Endpoint}   bucket ${stack.documentsBucket}
                    an EMULATION of S3: presigned POST policies and presigned GETs enforced, versions, tags;
                    malware scanning is EMULATED too (no GuardDuty here): the EICAR test file is "infected",
                    everything else "clean", tagged and announced in GuardDuty's shapes
  Admin key         ${adminKey}   (header X-Admin-Key; stored in .local/admin-key)
  Data              .local/  (npm start -- --fresh wipes it)
${interrupted.length ? `\n  Interrupted by the last shutdown, now ABORTED (Local.EngineRestarted): ${interrupted.map((x) => x.name).join(', ')}\n` : ''}
Submit an entry to the demo competition:

  curl -s -X POST ${stack.apiUrl}/competitions/${DEMO_COMPETITION_ID}/entries \\
    -H 'content-type: application/json' -H 'Idempotency-Key: demo-0001' \\
    -d '${entry}'

Then upload its business plan (the demo requires one; only a file scanned clean counts):

  curl -s -X POST ${stack.apiUrl}/entries/<entryId>/documents -H 'authorization: Bearer <accessToken>' \\
    -H 'content-type: application/json' \\
    -d '{"type":"BUSINESS_PLAN","fileName":"商业计划书.pdf","contentType":"application/pdf","size":<bytes>}'
  # then post the file with the returned upload.url and upload.fields (see the README: curl -F)

Start the intake round with the AWS CLI (any credentials work locally):

  aws stepfunctions start-execution --endpoint-url ${stack.sfnEndpoint} --region us-east-1 \\
    --state-machine-arn ${stack.intakeStateMachineArn} \\
    --name ${DEMO_COMPETITION_ID}_intake --input '{"competitionId":"${DEMO_COMPETITION_ID}","roundId":"intake"}'

Press Ctrl+C to stop.
`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
};

/** The demo catalogue: companies post needs through the API, the organizer publishes them 100 at a time. */
const DEMO_NEEDS = 300;
const seedDemoNeeds = async (api: string, admin: Record<string, string>) => {
  const needs = demoNeeds(DEMO_NEEDS);
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < needs.length) {
        const k = next++;
        const r = await fetch(`${api}/competitions/${DEMO_COMPETITION_ID}/needs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `demo-need-${k}` },
          body: JSON.stringify(needs[k]),
        });
        if (r.status !== 201) throw new Error(`could not post demo need ${k}: ${r.status} ${await r.text()}`);
        ids[k] = ((await r.json()) as { need: { needId: string } }).need.needId;
      }
    }),
  );
  for (let i = 0; i < ids.length; i += 100) {
    const decisions = ids.slice(i, i + 100).map((needId) => ({ needId, action: 'PUBLISH' }));
    const r = await fetch(`${api}/admin/competitions/${DEMO_COMPETITION_ID}/needs/decisions`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ decisions }),
    });
    if (!r.ok) throw new Error(`could not publish the demo needs: ${r.status} ${await r.text()}`);
  }
};

main().catch((e: Error) => {
  console.error(`npm start failed: ${e.message}`);
  process.exit(1);
});
