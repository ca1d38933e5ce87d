import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CompetitionStack } from './stack.ts';

export const STACK_NAME = 'InnovationChallenge';

export interface BuildOptions {
  /** Skip esbuild bundling (tests and the local stack only need the template). */
  bundle?: boolean;
  outdir?: string;
  /** Record each asset's path in resource metadata (as the CDK CLI does); the benchmark reads it. */
  assetMetadata?: boolean;
}

/** Builds the CDK app with cdk-nag's AwsSolutions checks applied. */
export const buildApp = (opts: BuildOptions = {}) => {
  const app = new App({
    outdir: opts.outdir,
    context: {
      ...(opts.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {}),
      ...(opts.assetMetadata ? { 'aws:cdk:enable-asset-metadata': true } : {}),
    },
  });
  const stack = new CompetitionStack(app, STACK_NAME, {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    description: 'Innovation challenge competitions: intake, review rounds, awards and funded-project hand-off',
  });
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, stack };
};
