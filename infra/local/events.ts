import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalLambdas } from './lambdas.ts';
import type { LocalS3, ObjectCreatedEvent } from './s3.ts';
import { matchesPattern } from './streams.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION, type LocalModel } from './template.ts';

/**
 * The default event bus, locally: events are matched against the template's
 * rules and delivered to their target functions asynchronously, with Lambda's
 * two retries of an asynchronous invocation (after 1 s and 2 s here rather
 * than AWS's minutes). Failures that exhaust the retries are reported.
 */
export class LocalEventBus {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly rules: LocalModel['eventRules'],
    private readonly lambdas: LocalLambdas,
    private readonly onError: (message: string, detail: unknown) => void = () => {},
  ) {}

  put(source: string, detailType: string, detail: unknown, resources: string[] = []) {
    const event = {
      version: '0',
      id: randomUUID(),
      'detail-type': detailType,
      source,
      account: LOCAL_ACCOUNT,
      time: new Date().toISOString(),
      region: LOCAL_REGION,
      resources,
      detail,
    };
    for (const rule of this.rules) {
      if (!matchesPattern(rule.pattern as never, event)) continue;
      for (const arn of rule.functionArns) this.track(this.deliver(rule.logicalId, arn, event));
    }
  }

  private track(p: Promise<void>) {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async deliver(rule: string, arn: string, event: unknown) {
    for (let attempt = 0; attempt <= 2; attempt++) {
      if (attempt) await sleep(1000 * attempt);
      try {
        await this.lambdas.invoke(arn, event);
        return;
      } catch (e) {
        if (attempt === 2) this.onError(`rule ${rule}: ${arn} failed three times`, e);
      }
    }
  }

  report(message: string, detail: unknown) {
    this.onError(message, detail);
  }

  /** Waits until every event put so far has been delivered (or given up on). */
  async drain() {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }
}

/** The EICAR anti-virus test string: the one "malware" the local scan finds. */
const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

/**
 * S3's and GuardDuty's part in an upload, locally — an emulation: each new
 * object is announced as S3's "Object Created" event; in a bucket a malware
 * protection plan of the template covers, a "scan" follows that finds the
 * EICAR test file and nothing else, writes GuardDuty's tag and publishes
 * GuardDuty's result event, in the shapes GuardDuty uses.
 */
export const wireUploads = (model: LocalModel, s3: () => LocalS3, bus: LocalEventBus) => (e: ObjectCreatedEvent) => {
  bus.put('aws.s3', 'Object Created', {
    version: '0',
    bucket: { name: e.bucket },
    object: { key: e.key, size: e.size, etag: e.etag.replace(/"/g, ''), 'version-id': e.versionId },
    'request-id': randomUUID(),
    requester: LOCAL_ACCOUNT,
    reason: e.reason,
  });
  const plan = model.malwarePlans.find(
    (p) => p.bucket === e.bucket && (!p.prefixes.length || p.prefixes.some((x) => e.key.startsWith(x))),
  );
  if (!plan) return;
  setTimeout(() => {
    try {
      scan();
    } catch (err) {
      // The object is gone (the stack stopped, or it was removed): GuardDuty would skip it too.
      bus.report(`malware scan emulation skipped ${e.key}`, err);
    }
  }, 200);
  const scan = () => {
    const infected = s3().read(e.bucket, e.key, e.versionId).includes(EICAR);
    const status = infected ? 'THREATS_FOUND' : 'NO_THREATS_FOUND';
    if (plan.tagging) {
      const tags = s3().tags(e.bucket, e.key, e.versionId);
      if (Object.keys(tags).length < 10)
        s3().setTags(e.bucket, e.key, e.versionId, { ...tags, GuardDutyMalwareScanStatus: status });
    }
    bus.put(
      'aws.guardduty',
      'GuardDuty Malware Protection Object Scan Result',
      {
        schemaVersion: '1.0',
        scanStatus: 'COMPLETED',
        resourceType: 'S3_OBJECT',
        s3ObjectDetails: {
          bucketName: e.bucket,
          objectKey: e.key,
          eTag: e.etag.replace(/"/g, ''),
          versionId: e.versionId,
          s3Throttled: false,
        },
        scanResultDetails: {
          scanResultStatus: status,
          threats: infected ? [{ name: 'EICAR-Test-File (not a virus)' }] : null,
        },
      },
      [`arn:aws:guardduty:${LOCAL_REGION}:${LOCAL_ACCOUNT}:malware-protection-plan/local`],
    );
  };
};
