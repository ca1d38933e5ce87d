import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CompetitionStack } from './stack.ts';
import { EDGE_REGION, EdgeProtectionStack } from './edge-stack.ts';

export const STACK_NAME = 'InnovationChallenge';
export const EDGE_STACK_NAME = 'InnovationChallengeEdge';

export interface BuildOptions {
  /** Skip esbuild bundling (tests and the local stack only need the template). */
  bundle?: boolean;
  outdir?: string;
  /** Record each asset's path in resource metadata (as the CDK CLI does); the benchmark reads it. */
  assetMetadata?: boolean;
  /** CDK context values, as `-c key=value` gives them (tests: alarmEmail, edge). */
  context?: Record<string, string>;
}

/** Builds the CDK app with cdk-nag's AwsSolutions checks applied. */
export const buildApp = (opts: BuildOptions = {}) => {
  const app = new App({
    outdir: opts.outdir,
    context: {
      ...(opts.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {}),
      ...(opts.assetMetadata ? { 'aws:cdk:enable-asset-metadata': true } : {}),
      ...opts.context,
    },
  });
  const stack = new CompetitionStack(app, STACK_NAME, {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    description: 'Innovation challenge competitions: intake, review rounds, awards and funded-project hand-off',
  });
  // The per-client rate limit (WAF for CloudFront) lives in us-east-1; deploy it first (see README).
  const edge =
    String(app.node.tryGetContext('edge') ?? 'true') !== 'false'
      ? new EdgeProtectionStack(app, EDGE_STACK_NAME, {
          env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: EDGE_REGION },
          description: 'Innovation challenge: per-client rate limit (AWS WAF for CloudFront)',
          ratePerFiveMinutes: Number(app.node.tryGetContext('rateLimitPerIpPer5Min') ?? 0) || undefined,
        })
      : undefined;
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, stack, edge };
};
