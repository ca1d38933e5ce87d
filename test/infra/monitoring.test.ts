import { beforeAll, describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/app-factory.ts';
import { API_5XX_PERCENT } from '../../infra/monitoring.ts';
import { BUSINESS_METRICS, METRICS_NAMESPACE } from '../../shared/metrics.ts';

let template: Template;

beforeAll(() => {
  template = Template.fromStack(buildApp({ bundle: false, context: { edge: 'false' } }).stack);
});

interface DashboardBody {
  variables: Array<{ id: string; pattern: string; inputType: string }>;
  widgets: Array<{ type: string; properties: { title?: string; metrics?: unknown[]; markdown?: string } }>;
}

/** The dashboard body with CloudFormation references written as {Ref:Id} / {Att:Id} (it is an Fn::Join). */
const dashboardBody = (t: Template): DashboardBody => {
  const [dashboard] = Object.values(t.findResources('AWS::CloudWatch::Dashboard'));
  const body = dashboard!.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] } | string;
  if (typeof body === 'string') return JSON.parse(body);
  const text = body['Fn::Join'][1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const p = part as { Ref?: string; 'Fn::GetAtt'?: string[] };
      return p.Ref ? `{Ref:${p.Ref}}` : `{Att:${(p['Fn::GetAtt'] ?? []).join('.')}}`;
    })
    .join('');
  return JSON.parse(text) as DashboardBody;
};

const alarms = () => Object.entries(template.findResources('AWS::CloudWatch::Alarm'));
const alarmNamed = (suffix: string) => {
  const found = alarms().find(([, a]) => String(a.Properties.AlarmName).endsWith(suffix));
  if (!found) throw new Error(`no alarm named …${suffix}`);
  return found[1].Properties;
};
const topicRef = () => Object.keys(template.findResources('AWS::SNS::Topic'))[0]!;

describe('console dashboard', () => {
  it('has a competition picker and a widget for every figure the issue names', () => {
    const body = dashboardBody(template);
    expect(body.variables).toEqual([
      expect.objectContaining({ id: 'competition', inputType: 'select', pattern: 'yrd-challenge-2026' }),
    ]);
    const titles = body.widgets.map((w) => w.properties.title).filter(Boolean);
    for (const title of [
      'Entries by track',
      'Screening',
      'Reviews by round',
      'E-mails: sent · refused',
      'Awards and funded projects',
      'API requests · 4xx · 5xx',
      'API latency p99',
      'Lambda errors · throttles',
      'Intake rounds',
      'Review rounds',
      'Awards (',
      'Hand-offs to projects',
      'Dead-letter queues',
      'DynamoDB throttled requests',
      'Alarms',
    ]) {
      expect(
        titles.some((t) => t!.startsWith(title)),
        `widget "${title}"`,
      ).toBe(true);
    }
  });

  it('shows every business metric the functions publish, for the picked competition', () => {
    const text = JSON.stringify(dashboardBody(template).widgets);
    for (const metric of Object.keys(BUSINESS_METRICS)) expect(text, metric).toContain(metric);
    // Per-track and per-round figures come from SEARCH over the exact dimension set the functions use.
    expect(text).toContain(
      `SEARCH('{${METRICS_NAMESPACE},competitionId,trackId} MetricName=\\"EntriesSubmitted\\" competitionId=\\"yrd-challenge-2026\\"'`,
    );
    expect(text).toContain(`{${METRICS_NAMESPACE},competitionId,roundId} MetricName=\\"ReviewsSubmitted\\"`);
  });

  it('shows started / succeeded / failed / timed-out executions for each of the four state machines', () => {
    const widgets = dashboardBody(template).widgets.filter((w) =>
      /rounds|Awards \(|Hand-offs/.test(w.properties.title ?? ''),
    );
    expect(widgets).toHaveLength(4);
    for (const w of widgets) {
      const names = JSON.stringify(w.properties.metrics);
      for (const m of ['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut'])
        expect(names, `${w.properties.title}: ${m}`).toContain(m);
    }
  });
});

describe('alarms', () => {
  it('every alarm notifies the alarm topic, which is encrypted and refuses plain HTTP', () => {
    expect(alarms()).toHaveLength(5);
    for (const [, a] of alarms()) expect(a.Properties.AlarmActions).toEqual([{ Ref: topicRef() }]);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    // CloudWatch may use the key to publish to the topic.
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Effect: 'Allow' }),
        ]),
      },
    });
  });

  it('fires on any message in the mail dead-letter queue', () => {
    const a = alarmNamed('-mail-dead-letters');
    expect(a).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    const queue = JSON.stringify(a.Dimensions);
    expect(queue).toContain('OutboxDeliveryDeadLetters');
    expect(JSON.stringify(alarmNamed('-document-dead-letters').Dimensions)).toContain('DocumentEventDeadLetters');
  });

  it('fires on any failed or timed-out execution of any of the four machines', () => {
    const a = alarmNamed('-executions-failed');
    expect(a.Threshold).toBe(1);
    const metrics = a.Metrics as Array<{ Expression?: string; MetricStat?: { Metric: { MetricName: string } } }>;
    const names = metrics.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric.MetricName] : []));
    expect(names.filter((n) => n === 'ExecutionsFailed')).toHaveLength(4);
    expect(names.filter((n) => n === 'ExecutionsTimedOut')).toHaveLength(4);
    expect(metrics.find((m) => m.Expression)?.Expression?.split(' + ')).toHaveLength(8);
  });

  it(`fires when more than ${API_5XX_PERCENT}% of API requests fail with 5xx, and on Lambda errors`, () => {
    const api = alarmNamed('-api-5xx');
    expect(api.Threshold).toBe(API_5XX_PERCENT);
    expect(api.ComparisonOperator).toBe('GreaterThanThreshold');
    const metrics = api.Metrics as Array<{ Expression?: string; MetricStat?: { Metric: { MetricName: string } } }>;
    expect(metrics.find((m) => m.Expression)?.Expression).toMatch(/100 \* errors \/ requests/);
    expect(metrics.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric.MetricName] : [])).sort()).toEqual([
      '5xx',
      'Count',
    ]);
    const lambda = alarmNamed('-lambda-errors');
    expect(lambda.Threshold).toBe(1);
    expect(lambda.Metrics).toEqual([
      expect.objectContaining({
        MetricStat: expect.objectContaining({ Metric: { MetricName: 'Errors', Namespace: 'AWS/Lambda' } }),
      }),
    ]);
  });

  it('mails the alarms to the address in the alarmEmail context, and to nobody without it', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    const withMail = Template.fromStack(
      buildApp({ bundle: false, context: { edge: 'false', alarmEmail: 'ops@example.org' } }).stack,
    );
    withMail.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.org' });
    expect(() => buildApp({ bundle: false, context: { edge: 'false', alarmEmail: 'not-an-address' } })).toThrow(
      /alarmEmail must be an e-mail address/,
    );
  });
});
