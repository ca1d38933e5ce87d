import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * X-Ray through Powertools: every handler is a segment (see observability.ts) and every AWS SDK client
 * is captured, so a slow request is followed from API Gateway into DynamoDB, Step Functions, S3 and SES.
 * Outside Lambda (the local stack, tests) Powertools leaves tracing off by itself.
 */
export const tracer = new Tracer({ serviceName: 'innovation-challenge' });

/** An AWS SDK v3 client whose calls become X-Ray subsegments. */
export const traced = <T>(client: T): T => tracer.captureAWSv3Client(client);
