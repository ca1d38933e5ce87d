import { beforeAll, describe, expect, it } from 'vitest';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/app-factory.ts';
import { routeList } from '../../functions/routes.ts';
import { PARTITION } from '../../functions/function-spec.ts';
import { taskList } from '../../functions/tasks.ts';
import { ENTRY_METADATA } from '../../infra/function.ts';
import { submissionKey } from '../../functions/store/keys.ts';
import { DEPLOY_TIME_FUNCTION, readModel, type Template as LocalTemplate } from '../../infra/local/template.ts';

let template: Template;
let stack: ReturnType<typeof buildApp>['stack'];
let edge: NonNullable<ReturnType<typeof buildApp>['edge']>;

beforeAll(() => {
  const built = buildApp({ bundle: false });
  stack = built.stack;
  edge = built.edge!;
  template = Template.fromStack(stack);
});

const pascal = (id: string) => id[0]!.toUpperCase() + id.slice(1);
type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
type RolePolicy = { Properties: { PolicyDocument: { Statement: Statement[] }; Roles: Array<{ Ref: string }> } };
/** Every identity policy: the separate AWS::IAM::Policy resources and each role's inline policies. */
const policies = (): RolePolicy[] => [
  ...(Object.values(template.findResources('AWS::IAM::Policy')) as RolePolicy[]),
  ...Object.entries(template.findResources('AWS::IAM::Role')).flatMap(([id, r]) =>
    ((r.Properties.Policies ?? []) as Array<{ PolicyDocument: { Statement: Statement[] } }>).map((p) => ({
      Properties: { PolicyDocument: p.PolicyDocument, Roles: [{ Ref: id }] },
    })),
  ),
];
const actionsOf = (p: ReturnType<typeof policies>[number]) =>
  p.Properties.PolicyDocument.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

/** The system's own functions (not those CDK deploys to run deployment steps). */
const appFunctions = () =>
  Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) => !DEPLOY_TIME_FUNCTION.test(id));

describe('CDK stack', () => {
  it('passes cdk-nag AwsSolutions with no unsuppressed errors or warnings', () => {
    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    expect(errors.map((e) => `${e.id}: ${String(e.entry.data).slice(0, 120)}`)).toEqual([]);
    expect(warnings.map((e) => `${e.id}: ${String(e.entry.data).slice(0, 120)}`)).toEqual([]);
  });

  it('passes cdk-nag as well when synthesized for a concrete account and region (as `cdk synth` does)', () => {
    const saved = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
    Object.assign(process.env, { CDK_DEFAULT_ACCOUNT: '123456789012', CDK_DEFAULT_REGION: 'cn-north-1' });
    try {
      const { stack: envStack } = buildApp({ bundle: false });
      expect(
        Annotations.fromStack(envStack)
          .findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))
          .map((e) => e.id),
      ).toEqual([]);
    } finally {
      for (const [k, v] of [
        ['CDK_DEFAULT_ACCOUNT', saved.account],
        ['CDK_DEFAULT_REGION', saved.region],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('keeps the table: on-demand, PITR, deletion protection, encryption, retained on stack deletion', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ],
      }),
    });
  });

  it('keeps the link signing key in Secrets Manager, generated, retained on stack deletion', () => {
    template.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        GenerateSecretString: Match.objectLike({ GenerateStringKey: 'current', PasswordLength: 64 }),
      }),
    });
  });

  it('serves exactly the route table, with IAM authorization on every /admin route and only there', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => r.Properties as { RouteKey: string; AuthorizationType?: string },
    );
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(
      routeList()
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    );
    for (const r of routes)
      expect(r.AuthorizationType === 'AWS_IAM').toBe(r.RouteKey.split(' ')[1]!.startsWith('/admin'));
  });

  it('lets the API invoke exactly the route functions, through one role (no per-function permissions)', () => {
    const model = readModel(template.toJSON() as LocalTemplate);
    expect(model.routes.length).toBe(routeList().length);
    expect(model.routes.filter((r) => !r.invokeAllowed)).toEqual([]);
    const integrations = Object.values(template.findResources('AWS::ApiGatewayV2::Integration'));
    const roles = new Set(integrations.map((i) => JSON.stringify(i.Properties.CredentialsArn)));
    expect([...roles]).toHaveLength(1);
    expect([...roles][0]).toMatch(/ApiInvokeRole/);
    const apiPermissions = Object.values(template.findResources('AWS::Lambda::Permission')).filter(
      (p) => p.Properties.Principal === 'apigateway.amazonaws.com',
    );
    expect(apiPermissions).toEqual([]);
    // A task function is not a route: the API's role cannot invoke it.
    const routeArns = new Set(model.routes.map((r) => r.functionArn));
    const task = model.functions.find((f) => !routeArns.has(f.arn))!;
    const invokeRole = [...roles][0]!.match(/"(ApiInvokeRole\w+)"/)![1]!;
    const statements = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(invokeRole))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(JSON.stringify(statements)).not.toContain(`"${task.logicalId}"`);
    expect(statements.flatMap((st) => st.Resource).length).toBe(routeList().length);
  });

  it('stays well under CloudFormation’s 500 resources a stack (each route is a function; grants are inline)', () => {
    const count = Object.keys(template.toJSON().Resources).length;
    expect(count).toBeLessThan(450);
    // The app's functions carry their grants inline; separate policies remain only on the other roles.
    const functionRoles = new Set(
      appFunctions().map(
        ([, f]) => JSON.stringify((f.Properties as { Role: unknown }).Role).match(/"(\w+Role[0-9A-F]{8})"/)?.[1],
      ),
    );
    const separate = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) =>
      (p.Properties.Roles as Array<{ Ref: string }>).map((r) => r.Ref),
    );
    expect(separate.filter((r) => functionRoles.has(r))).toEqual([]);
  });

  it('lets functions share a role only when their declared needs grant exactly the same', () => {
    const declaredBy = new Map<string, unknown>([...routeList(), ...taskList()].map((d) => [d.entry, d]));
    const grantsOf = (entry: string) => {
      const { timeoutSeconds, memoryMb, ...needs } = declaredBy.get(entry) as Record<string, unknown>;
      const {
        method,
        path,
        summary,
        params,
        query,
        body,
        bodyFormat,
        okStatus,
        maxBodyBytes,
        id,
        machine,
        entry: _entry,
        auth,
        ...grants
      } = needs;
      // Admin routes never share with the others (which also read the origin-verify key).
      return JSON.stringify(
        [
          auth === 'admin',
          ...Object.keys(grants)
            .sort()
            .map((k) => [k, grants[k]]),
        ],
        (_k, v) => (Array.isArray(v) ? [...v].sort() : v),
      );
    };
    const byRole = new Map<string, Set<string>>();
    for (const [, f] of appFunctions()) {
      const entry = (f.Metadata as Record<string, string> | undefined)?.[ENTRY_METADATA];
      if (!entry || !declaredBy.has(entry)) continue;
      const role = JSON.stringify((f.Properties as { Role: unknown }).Role);
      byRole.set(role, (byRole.get(role) ?? new Set()).add(grantsOf(entry)));
    }
    for (const grants of byRole.values()) expect(grants.size).toBe(1);
    // Some do share (admin reads of one competition, for one): fewer roles than route and task functions.
    expect(byRole.size).toBeLessThan(routeList().length + taskList().length);
  });

  it('runs every function on Node 22 arm64 with tracing, its own log group and source maps', () => {
    const fns = appFunctions().map(([, f]) => f.Properties);
    // + intake and review round tasks, outbox delivery, award and hand-off tasks, the two document event
    // functions, the import and the export workers
    expect(fns).toHaveLength(routeList().length + 4 + 4 + 1 + 5 + 3 + 2 + 2);
    for (const f of fns) {
      expect(f).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: expect.anything() },
      });
      expect(f.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    }
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('grants least privilege: no Scan, no wildcard DynamoDB actions, each table grant narrowed to partitions, deletes only in the submission register; read routes cannot write', () => {
    const all = policies().flatMap(actionsOf);
    expect(all.filter((a) => /dynamodb:(Scan|BatchWriteItem|\*)/.test(a))).toEqual([]);
    const roleOf = (p: RolePolicy) => String(p.Properties.Roles[0]!.Ref).replace(/[0-9A-F]{8}$/, '');
    const tableStatements = policies().flatMap((p) =>
      p.Properties.PolicyDocument.Statement.filter((st) => [st.Action].flat().some((a) => a.startsWith('dynamodb:')))
        .filter((st) => !JSON.stringify(st.Resource).includes('StreamArn'))
        .map((st) => ({
          role: roleOf(p),
          st: st as Statement & { Condition?: Record<string, Record<string, unknown>> },
        })),
    );
    const onIndex = (st: Statement) => JSON.stringify(st.Resource).includes('/index/');
    // Base-table statements: every one names its partitions (and refuses requests that name none).
    for (const { role, st } of tableStatements.filter(({ st }) => !onIndex(st))) {
      const leading = st.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] as string[] | undefined;
      expect(leading?.length, role).toBeGreaterThan(0);
      for (const prefix of leading!) expect(Object.values(PARTITION).map((p) => `${p}*`)).toContain(prefix);
      expect(st.Condition?.Null).toEqual({ 'dynamodb:LeadingKeys': 'false' });
    }
    // Index statements: Query only.
    for (const { st } of tableStatements.filter(({ st }) => onIndex(st)))
      expect([st.Action].flat()).toEqual(['dynamodb:Query']);
    // The public review page reads what a reviewer sees, and no idempotency record, import job or project.
    const reviewPage = tableStatements.filter(({ role }) => role === 'GetReviewPageFunctionRole');
    const reviewPartitions = reviewPage.flatMap(
      ({ st }) => (st.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] as string[]) ?? [],
    );
    expect(reviewPartitions.sort()).toEqual(['ASSIGN#*', 'COMP#*', 'ENTRY#*', 'EXPERT#*']);
    const deletes = tableStatements.filter(({ st }) => [st.Action].flat().includes('dynamodb:DeleteItem'));
    expect(deletes.map((d) => d.role).sort()).toEqual([
      'AdminWithdrawEntryFunctionRole',
      'ScreenBatchRole',
      'WithdrawEntryFunctionRole',
    ]);
    for (const { st } of deletes) {
      expect([st.Action].flat()).toEqual(['dynamodb:DeleteItem']);
      expect(st.Condition).toEqual({
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${PARTITION.submissions}*`] },
        Null: { 'dynamodb:LeadingKeys': 'false' },
      });
    }
    expect(submissionKey('c', 't', 'E1').pk.startsWith(PARTITION.submissions)).toBe(true);
    expect(all.filter((a) => a.endsWith(':*') || a === '*')).toEqual([]);
    // A read route writes nowhere but in its idempotency records (when it honours Idempotency-Key).
    const readRoles = new Set(
      routeList()
        .filter((r) => r.table === 'read')
        .map((r) => `${pascal(r.id)}FunctionRole`),
    );
    const readRouteWrites = tableStatements.filter(
      ({ role, st }) => readRoles.has(role) && [st.Action].flat().includes('dynamodb:PutItem'),
    );
    for (const { st } of readRouteWrites)
      expect(st.Condition?.['ForAllValues:StringLike']).toEqual({
        'dynamodb:LeadingKeys': [`${PARTITION.idempotency}*`],
      });
    expect(readRouteWrites.length).toBe(routeList().filter((r) => r.table === 'read' && r.idempotent).length);
    // Only the start routes and the award publication (which starts hand-offs) may start executions.
    const starters = policies().filter((p) => actionsOf(p).includes('states:StartExecution'));
    expect(starters.map((p) => String(p.Properties.Roles[0]!.Ref).replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'AdminStartAwardsFunctionRole',
      'AdminStartRoundFunctionRole',
      'AwardPublishRole',
    ]);
  });

  it('delivers outbox messages from the table stream: inserts of outbox items only, partial batch failures, a dead-letter queue, SES on the sender identity only', () => {
    expect(
      Object.values(template.findResources('AWS::DynamoDB::GlobalTable'))[0]!.Properties.StreamSpecification,
    ).toEqual({ StreamViewType: 'NEW_IMAGE' });
    const [mapping] = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mapping!.Properties).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 5,
      DestinationConfig: { OnFailure: { Destination: expect.anything() } },
    });
    expect(JSON.parse(mapping!.Properties.FilterCriteria.Filters[0].Pattern)).toEqual({
      eventName: ['INSERT'],
      dynamodb: { Keys: { pk: { S: [{ prefix: 'OUTBOX#' }] } } },
    });
    const ses = policies()
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>)
      .filter((st) => [st.Action].flat().includes('ses:SendEmail'));
    expect(ses).toHaveLength(1);
    expect(JSON.stringify(ses[0]!.Resource)).toContain('identity/no-reply@example.com');
    // Links are signed at send time: the delivery function holds the key; the steps that queue messages do not.
    const withLinkKey = appFunctions()
      .filter(([, f]) => f.Properties.Environment.Variables.LINK_KEY_SECRET_ARN)
      .map(([id]) => id.replace(/[0-9A-F]{8}$/, ''));
    expect(withLinkKey.sort()).toEqual([
      'DeliverOutboxFn',
      'GetAppointmentFunctionFn',
      'GetExpertHomeFunctionFn',
      'GetManagedProjectFunctionFn',
      'GetNeedSponsorDocumentFunctionFn',
      'GetNeedSponsorPageFunctionFn',
      'GetProjectWorkspaceFunctionFn',
      'GetReviewDocumentFunctionFn',
      'GetReviewPageFunctionFn',
      'GetSponsorConfirmationFunctionFn',
      'GetSponsorDocumentFunctionFn',
      'PostAppointmentFunctionFn',
      'PostExpertHomeFunctionFn',
      'PostNeedSponsorDecisionFunctionFn',
      'PostProjectWorkspaceFunctionFn',
      'PostReviewFunctionFn',
      'PostSponsorConfirmationFunctionFn',
      'ReportMilestoneFunctionFn',
    ]);
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  });

  it('defines the review, award and hand-off workflows with callback steps that always time out, and no per-entry fan-out', () => {
    const machines = readModel(template.toJSON() as LocalTemplate).stateMachines;
    const states = (name: string) => {
      const m = machines.find((x) => x.name === `InnovationChallenge-${name}`)!;
      return (
        m.definition as {
          States: Record<
            string,
            { Type: string; Resource?: string; TimeoutSeconds?: number; TimeoutSecondsPath?: string }
          >;
        }
      ).States;
    };
    const callbacks = (name: string) =>
      Object.entries(states(name))
        .filter(([, st]) => st.Resource?.endsWith('.waitForTaskToken'))
        .map(([k, st]) => [k, st.TimeoutSeconds ?? st.TimeoutSecondsPath]);
    expect(callbacks('ReviewRound')).toEqual([['WaitForReviews', '$.Payload.timeoutSeconds']]);
    expect(callbacks('AwardRound')).toEqual([
      ['WaitForDecision', 30 * 86400],
      ['WaitForSponsors', '$.Payload.timeoutSeconds'],
    ]);
    expect(callbacks('ProjectHandOff').sort()).toEqual([
      ['WaitForAppointee', '$.Payload.timeoutSeconds'],
      ['WaitForReviewMeeting', 90 * 86400],
    ]);
    for (const name of ['ReviewRound', 'AwardRound', 'ProjectHandOff']) {
      expect(Object.values(states(name)).some((st) => st.Type === 'Map' || st.Type === 'Parallel')).toBe(false);
    }
  });

  it('defines the intake round as a Standard state machine with logging, tracing and bounded tasks', () => {
    const [sm] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
    expect(sm!.Properties).toMatchObject({
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: expect.objectContaining({ Level: 'ALL' }),
    });
    const [machine] = readModel(template.toJSON() as LocalTemplate).stateMachines;
    const def = machine!.definition as {
      QueryLanguage?: string;
      StartAt: string;
      States: Record<string, { Type: string; TimeoutSeconds?: number; TimestampPath?: string; SecondsPath?: string }>;
    };
    expect(def.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    expect(def.StartAt).toBe('OpenIntake');
    expect(Object.keys(def.States).sort()).toEqual([
      'CloseIntake',
      'FinalizeIntake',
      'IntakeClosed?',
      'MoreToScreen?',
      'OpenIntake',
      'ScreenBatch',
      'WaitForDeadline',
      'WaitForScans',
    ]);
    expect(def.States.WaitForDeadline).toMatchObject({ Type: 'Wait', TimestampPath: '$.intake.waitUntil' });
    // A required document still being scanned at the close is waited for (the step bounds the wait).
    expect(def.States.WaitForScans).toMatchObject({ Type: 'Wait', SecondsPath: '$.screening.waitSeconds' });
    for (const s of Object.values(def.States).filter((x) => x.Type === 'Task')) expect(s.TimeoutSeconds).toBe(300);
  });

  it('lets a function resume only the machines its row names, with SendTaskSuccess only; link routes their own machine', () => {
    const resumers = policies().flatMap((p) =>
      p.Properties.PolicyDocument.Statement.filter((st) =>
        [st.Action].flat().some((a) => a.startsWith('states:SendTask')),
      ).map((st) => ({
        role: String(p.Properties.Roles[0]!.Ref).replace(/[0-9A-F]{8}$/, ''),
        actions: [st.Action].flat(),
        resource: JSON.stringify(st.Resource),
      })),
    );
    expect(resumers.flatMap((r) => r.actions).filter((a) => a !== 'states:SendTaskSuccess')).toEqual([]);
    const machinesOf = (role: string) =>
      resumers
        .filter((r) => r.role === role)
        .flatMap((r) => [...r.resource.matchAll(/InnovationChallenge-(\w+)/g)].map((m) => m[1]))
        .sort();
    expect(machinesOf('PostSponsorConfirmationFunctionRole')).toEqual(['AwardRound']);
    expect(machinesOf('PostAppointmentFunctionRole')).toEqual(['ProjectHandOff']);
    expect(machinesOf('PostReviewFunctionRole')).toEqual(['ReviewRound']);
    expect(machinesOf('GetReviewPageFunctionRole')).toEqual([]);
  });

  it('protects the public API per client: CloudFront with a WAF rate-based rule (us-east-1), and no way around it', () => {
    const waf = Template.fromStack(edge);
    expect(edge.region).toBe('us-east-1');
    const [acl] = Object.values(waf.findResources('AWS::WAFv2::WebACL'));
    expect(acl!.Properties).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    const rules = acl!.Properties.Rules as Array<Record<string, any>>;
    expect(rules[0]).toMatchObject({
      Name: 'PerClientRateLimit',
      Statement: { RateBasedStatement: { Limit: 2000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } },
      Action: { Block: { CustomResponse: { ResponseCode: 429 } } },
    });
    expect(rules[1]!.Statement.ManagedRuleGroupStatement.Name).toBe('AWSManagedRulesAmazonIpReputationList');
    waf.hasResourceProperties('AWS::SSM::Parameter', { Name: '/innovation-challenge/edge/web-acl-arn' });
    expect(
      Annotations.fromStack(edge)
        .findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))
        .map((e) => e.id),
    ).toEqual([]);

    // The distribution forwards everything uncached, uses the ACL, and adds the origin verify header …
    const [dist] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
    const config = dist!.Properties.DistributionConfig;
    expect(config.WebACLId).toBeDefined();
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: expect.arrayContaining(['POST', 'PUT', 'DELETE']),
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // CachingDisabled
    });
    expect(JSON.stringify(config.Origins[0].OriginCustomHeaders)).toContain('x-origin-verify');
    expect(JSON.stringify(config.Origins[0].OriginCustomHeaders)).toContain('{{resolve:secretsmanager:');
    // … which every public route checks (admin routes are SigV4-signed on the API endpoint).
    for (const [id, f] of appFunctions()) {
      const route = routeList().find((r) => id.startsWith(`${r.id[0]!.toUpperCase()}${r.id.slice(1)}Function`));
      if (!route) continue;
      expect(Boolean(f.Properties.Environment.Variables.ORIGIN_VERIFY_SECRET_ARN), id).toBe(route.auth !== 'admin');
    }
    // E-mailed links use the distribution's address.
    const delivery = appFunctions().find(([id]) => id.startsWith('DeliverOutbox'))!;
    expect(JSON.stringify(delivery[1].Properties.Environment.Variables.PUBLIC_BASE_URL)).toContain('DomainName');
  });
});
