import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

/** Where the edge stack publishes its web ACL's ARN (us-east-1); the main stack reads it at deploy time. */
export const WEB_ACL_PARAMETER = '/innovation-challenge/edge/web-acl-arn';
/** CloudFront web ACLs live in us-east-1, whatever region the rest of the system is in. */
export const EDGE_REGION = 'us-east-1';
/** Default per-client limit: requests from one IP address in any 5-minute window. */
export const DEFAULT_RATE_LIMIT_PER_5_MIN = 2000;

const RATE_LIMITED = {
  error: {
    code: 'RATE_LIMITED',
    message: 'Too many requests from this address; wait a few minutes and try again',
  },
};

/**
 * Per-client protection for the public API (AWS WAF, CloudFront scope): a
 * rate-based rule per client IP, so one client near a deadline cannot starve
 * everyone else (the HTTP API's own throttle is stage-wide), and AWS's IP
 * reputation list. A web ACL for CloudFront must be created in us-east-1,
 * hence a stack of its own; the ARN goes to an SSM parameter there.
 */
export class EdgeProtectionStack extends Stack {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: StackProps & { ratePerFiveMinutes?: number } = {}) {
    super(scope, id, props);
    const limit = props.ratePerFiveMinutes ?? DEFAULT_RATE_LIMIT_PER_5_MIN;
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    this.webAcl = new wafv2.CfnWebACL(this, 'ApiWebAcl', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      description: 'Innovation challenge API: per-client rate limit and IP reputation',
      visibilityConfig: visibility('InnovationChallengeApi'),
      customResponseBodies: {
        rateLimited: { contentType: 'APPLICATION_JSON', content: JSON.stringify(RATE_LIMITED) },
      },
      rules: [
        {
          name: 'PerClientRateLimit',
          priority: 0,
          statement: { rateBasedStatement: { limit, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
          action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'rateLimited' } } },
          visibilityConfig: visibility('PerClientRateLimit'),
        },
        {
          name: 'AmazonIpReputationList',
          priority: 1,
          statement: {
            managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesAmazonIpReputationList' },
          },
          overrideAction: { none: {} },
          visibilityConfig: visibility('AmazonIpReputationList'),
        },
      ],
    });
    new ssm.StringParameter(this, 'WebAclArnParameter', {
      parameterName: WEB_ACL_PARAMETER,
      stringValue: this.webAcl.attrArn,
      description: 'ARN of the web ACL the API distribution uses',
    });
    new CfnOutput(this, 'WebAclArn', { value: this.webAcl.attrArn });
  }
}
