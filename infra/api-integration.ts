import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/**
 * How many function ARNs one managed policy of the invoke role lists: an ARN costs ~115 characters
 * and a managed policy holds 6,144, so 40 leave room for the rest of the document.
 */
const ARNS_PER_POLICY = 40;

/**
 * The HTTP API calls its functions with one role instead of one resource-based permission per
 * function (the integration's `CredentialsArn`). Same effect — the API may invoke exactly the route
 * functions — at a handful of CloudFormation resources instead of one per route, which keeps the
 * stack clear of CloudFormation's 500-resource limit as routes are added.
 */
export class ApiInvokeRole extends Construct {
  readonly role: iam.Role;
  private readonly functions: lambda.IFunction[] = [];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      description: 'The HTTP API invokes the route functions with this role',
      // No aws:SourceAccount/SourceArn condition: API Gateway does not set them when it assumes an
      // integration's credentials role, so the role could not be assumed at all. The guard is
      // iam:PassRole instead: only principals of this account allowed to pass the role can name it
      // on an integration, and the role may only invoke this API's route functions.
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
    });
  }

  /** An integration for a route served by `fn`; the role may invoke it. */
  integrationFor(id: string, fn: lambda.IFunction): apigw.HttpRouteIntegration {
    this.functions.push(fn);
    return new RoleInvokedLambdaIntegration(id, fn, this.role);
  }

  /** Writes the invoke policies; call once, after the last route. */
  attachPolicies(): void {
    if (this.node.tryFindChild('Invoke1')) throw new Error('invoke policies already attached');
    for (let i = 0; i < this.functions.length; i += ARNS_PER_POLICY) {
      const chunk = this.functions.slice(i, i + ARNS_PER_POLICY);
      new iam.ManagedPolicy(this, `Invoke${i / ARNS_PER_POLICY + 1}`, {
        roles: [this.role],
        statements: [
          new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: chunk.map((f) => f.functionArn) }),
        ],
      });
    }
  }
}

class RoleInvokedLambdaIntegration extends apigw.HttpRouteIntegration {
  constructor(
    id: string,
    private readonly fn: lambda.IFunction,
    private readonly role: iam.IRole,
  ) {
    super(id);
  }

  bind(): apigw.HttpRouteIntegrationConfig {
    return {
      type: apigw.HttpIntegrationType.AWS_PROXY,
      uri: this.fn.functionArn,
      payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
      credentials: apigw.IntegrationCredentials.fromRole(this.role),
    };
  }
}
