import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { MachineId } from '../functions/function-spec.ts';
import { BUSINESS_METRICS, type BusinessMetric, METRICS_NAMESPACE } from '../shared/metrics.ts';

export interface MonitoringProps {
  api: apigw.HttpApi;
  table: dynamodb.TableV2;
  machines: Record<MachineId, sfn.StateMachine>;
  /** The outbox (mail) dead-letter queue, shared with CSV exports. */
  mailDeadLetters: sqs.IQueue;
  documentDeadLetters: sqs.IQueue;
  /** Where alarms are mailed (CDK context `alarmEmail`); none subscribed when absent. */
  alarmEmail?: string;
  /** The competition the dashboard opens on; the drop-down lists every one that published metrics. */
  defaultCompetitionId: string;
}

/** API 5xx alarm: this share of requests over 5 minutes, once there are at least MIN_REQUESTS of them. */
export const API_5XX_PERCENT = 1;
const MIN_REQUESTS = 20;

const MACHINE_TITLES: Record<MachineId, string> = {
  intake: 'Intake rounds (入围/形式审查)',
  review: 'Review rounds (评审)',
  awards: 'Awards (奖项)',
  handoff: 'Hand-offs to projects (项目经理聘任)',
};

/**
 * What organizers and operators watch in the console: one CloudWatch dashboard (a competition picked at
 * the top; business figures first, operations below) and the alarms, mailed through one SNS topic.
 */
export class Monitoring extends Construct {
  readonly dashboard: cw.Dashboard;
  readonly topic: sns.Topic;
  readonly alarms: cw.Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // CloudWatch publishes alarm notifications to an encrypted topic only if the key lets it.
    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the alarm topic; CloudWatch alarms may use it to publish',
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    this.topic = new sns.Topic(this, 'Alarms', {
      displayName: 'Innovation challenge alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    this.addAlarms(props);
    this.dashboard = new cw.Dashboard(this, 'Dashboard', {
      dashboardName: `${stack.stackName}-competitions`,
      defaultInterval: Duration.days(14),
      variables: [
        new cw.DashboardVariable({
          id: 'competition',
          label: 'Competition',
          type: cw.VariableType.PATTERN,
          inputType: cw.VariableInputType.SELECT,
          value: props.defaultCompetitionId,
          values: cw.Values.fromSearchComponents({
            namespace: METRICS_NAMESPACE,
            dimensions: ['competitionId', 'trackId'],
            metricName: 'EntriesCreated',
            populateFrom: 'competitionId',
          }),
          defaultValue: cw.DefaultValue.value(props.defaultCompetitionId),
          visible: true,
        }),
      ],
    });
    this.addBusinessWidgets(props.defaultCompetitionId);
    this.addOperationsWidgets(props);
  }

  private alarm(id: string, props: cw.AlarmProps) {
    const alarm = new cw.Alarm(this, id, { treatMissingData: cw.TreatMissingData.NOT_BREACHING, ...props });
    alarm.addAlarmAction(new cwActions.SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }

  private addAlarms(props: MonitoringProps) {
    this.alarm('MailDeadLetterAlarm', {
      alarmName: `${Stack.of(this).stackName}-mail-dead-letters`,
      alarmDescription:
        'A message in the mail dead-letter queue: an outbox message (or a CSV export) failed every retry. ' +
        'See README, "Watching a competition in the AWS console".',
      metric: props.mailDeadLetters.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cw.Stats.MAXIMUM,
      }),
      threshold: 1,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
    this.alarm('DocumentDeadLetterAlarm', {
      alarmName: `${Stack.of(this).stackName}-document-dead-letters`,
      alarmDescription:
        'A document event (upload or scan result) failed every retry and waits in its dead-letter queue.',
      metric: props.documentDeadLetters.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cw.Stats.MAXIMUM,
      }),
      threshold: 1,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
    // Every machine's failed and timed-out executions in one expression (8 metrics; an alarm takes 10).
    const usingMetrics: Record<string, cw.IMetric> = {};
    for (const [m, machine] of Object.entries(props.machines)) {
      usingMetrics[`${m}Failed`] = machine.metricFailed({ period: Duration.minutes(1), statistic: cw.Stats.SUM });
      usingMetrics[`${m}TimedOut`] = machine.metricTimedOut({ period: Duration.minutes(1), statistic: cw.Stats.SUM });
    }
    this.alarm('ExecutionFailedAlarm', {
      alarmName: `${Stack.of(this).stackName}-executions-failed`,
      alarmDescription:
        'An execution of a round, award or hand-off workflow failed or timed out. Open it in the Step Functions ' +
        'console, fix the cause, then start the round again (the same route redrives it).',
      metric: new cw.MathExpression({
        expression: Object.keys(usingMetrics).join(' + '),
        usingMetrics,
        label: 'failed or timed-out executions',
        period: Duration.minutes(1),
      }),
      threshold: 1,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
    const period = Duration.minutes(5);
    this.alarm('Api5xxAlarm', {
      alarmName: `${Stack.of(this).stackName}-api-5xx`,
      alarmDescription: `More than ${API_5XX_PERCENT}% of API requests answered 5xx over 5 minutes (at least ${MIN_REQUESTS} requests).`,
      metric: new cw.MathExpression({
        expression: `IF(requests >= ${MIN_REQUESTS}, 100 * errors / requests, 0)`,
        usingMetrics: {
          requests: props.api.metricCount({ period, statistic: cw.Stats.SUM }),
          errors: props.api.metricServerError({ period, statistic: cw.Stats.SUM }),
        },
        label: 'API 5xx (% of requests)',
        period,
      }),
      threshold: API_5XX_PERCENT,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });
    this.alarm('LambdaErrorAlarm', {
      alarmName: `${Stack.of(this).stackName}-lambda-errors`,
      alarmDescription:
        'A function failed (an unhandled error or a timeout; answered 4xx are not errors). The figure is the ' +
        "region's Lambda total: run the stack in an account of its own. Find the function on the dashboard.",
      metric: lambdaTotal('Errors', period),
      threshold: 1,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
  }

  private addBusinessWidgets(competition: string) {
    const day = Duration.days(1);
    const search = (metric: BusinessMetric, label: string) => {
      const dims = ['competitionId', ...BUSINESS_METRICS[metric].dimensions.filter((d) => d !== 'competitionId')];
      const schema = [METRICS_NAMESPACE, ...[...dims].sort()].join(',');
      return new cw.MathExpression({
        expression: `SEARCH('{${schema}} MetricName="${metric}" competitionId="${competition}"', 'Sum', 86400)`,
        label,
        period: day,
      });
    };
    const totals = (title: string, metrics: cw.IMetric[], width = 12) =>
      new cw.GraphWidget({
        title,
        left: metrics,
        view: cw.GraphWidgetView.BAR,
        setPeriodToTimeRange: true,
        width,
        height: 6,
      });
    const one = (metric: BusinessMetric) =>
      new cw.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: metric,
        dimensionsMap: { competitionId: competition },
        statistic: cw.Stats.SUM,
        label: BUSINESS_METRICS[metric].label,
        period: day,
      });
    this.dashboard.addWidgets(
      new cw.TextWidget({
        markdown:
          '# Competition\nPick the competition at the top. Figures count events since the dashboard period began ' +
          '(top right; 2 weeks by default): widen it to cover the whole competition. ' +
          'The same figures, exactly, from the table: `npm run admin -- watch <competitionId>` or ' +
          '`GET /admin/competitions/{id}/progress`.',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      totals('Entries by track: created · submitted · withdrawn', [
        search('EntriesCreated', 'created'),
        search('EntriesSubmitted', 'submitted'),
        search('EntriesWithdrawn', 'withdrawn'),
      ]),
      totals('Screening (形式审查) by track: eligible · ineligible', [
        search('EntriesEligible', 'eligible'),
        search('EntriesIneligible', 'ineligible'),
      ]),
    );
    this.dashboard.addWidgets(
      totals('Reviews by round: assigned (expected) · submitted · declined', [
        search('ReviewsAssigned', 'assigned'),
        search('ReviewsSubmitted', 'submitted'),
        search('ReviewsDeclined', 'declined'),
      ]),
      new cw.GraphWidget({
        title: 'E-mails: sent · refused by SES · reviewer reminders',
        left: [one('MailsSent'), one('MailsRefused'), search('ReviewerReminders', 'reminders')],
        width: 12,
        height: 6,
      }),
    );
    this.dashboard.addWidgets(
      new cw.SingleValueWidget({
        title: 'Awards and funded projects',
        metrics: [
          one('AwardsPublished'),
          one('AppointmentsAccepted'),
          one('AppointmentsDeclined'),
          one('TranchesDisbursed'),
          one('Conversions'),
        ],
        setPeriodToTimeRange: true,
        width: 16,
        height: 4,
      }),
      totals('Amount disbursed, by currency', [search('TrancheAmount', 'disbursed')], 8),
    );
  }

  private addOperationsWidgets(props: MonitoringProps) {
    const period = Duration.minutes(5);
    this.dashboard.addWidgets(
      new cw.TextWidget({ markdown: '# Operations', width: 24, height: 1 }),
      new cw.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 3 }),
    );
    this.dashboard.addWidgets(
      new cw.GraphWidget({
        title: 'API requests · 4xx · 5xx',
        left: [
          props.api.metricCount({ period, statistic: cw.Stats.SUM, label: 'requests' }),
          props.api.metricClientError({ period, statistic: cw.Stats.SUM, label: '4xx' }),
          props.api.metricServerError({ period, statistic: cw.Stats.SUM, label: '5xx' }),
        ],
        width: 8,
      }),
      new cw.GraphWidget({
        title: 'API latency p99 (ms)',
        left: [props.api.metricLatency({ period, statistic: cw.Stats.p(99), label: 'p99' })],
        width: 8,
      }),
      new cw.GraphWidget({
        title: 'Lambda errors · throttles (all functions; per function below)',
        left: [lambdaTotal('Errors', period), lambdaTotal('Throttles', period)],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      ...Object.entries(props.machines).map(
        ([m, machine]) =>
          new cw.GraphWidget({
            title: MACHINE_TITLES[m as MachineId],
            left: [
              machine.metricStarted({ period, statistic: cw.Stats.SUM, label: 'started' }),
              machine.metricSucceeded({ period, statistic: cw.Stats.SUM, label: 'succeeded' }),
              machine.metricFailed({ period, statistic: cw.Stats.SUM, label: 'failed' }),
              machine.metricTimedOut({ period, statistic: cw.Stats.SUM, label: 'timed out' }),
            ],
            width: 6,
          }),
      ),
    );
    const tableMetric = (metricName: string) =>
      new cw.Metric({
        namespace: 'AWS/DynamoDB',
        metricName,
        dimensionsMap: { TableName: props.table.tableName },
        statistic: cw.Stats.SUM,
        period,
      });
    this.dashboard.addWidgets(
      new cw.GraphWidget({
        title: 'Dead-letter queues (messages waiting)',
        left: [
          props.mailDeadLetters.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(1),
            statistic: cw.Stats.MAXIMUM,
            label: 'mail (and CSV exports)',
          }),
          props.documentDeadLetters.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(1),
            statistic: cw.Stats.MAXIMUM,
            label: 'document events',
          }),
        ],
        width: 8,
      }),
      new cw.GraphWidget({
        title: 'DynamoDB throttled requests',
        left: [tableMetric('ReadThrottleEvents'), tableMetric('WriteThrottleEvents')],
        width: 8,
      }),
      new cw.GraphWidget({
        title: 'Lambda errors by function',
        left: [
          new cw.MathExpression({
            expression: `SEARCH('{AWS/Lambda,FunctionName} MetricName="Errors" ${Stack.of(this).stackName}', 'Sum', 300)`,
            label: 'errors',
            period,
          }),
        ],
        width: 8,
      }),
    );
  }
}

/** The region's total of a Lambda metric (no FunctionName dimension: every function together). */
const lambdaTotal = (metricName: string, period: Duration) =>
  new cw.Metric({ namespace: 'AWS/Lambda', metricName, statistic: cw.Stats.SUM, period, label: metricName });
