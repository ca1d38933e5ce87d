import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { S3Client } from '@aws-sdk/client-s3';
import { traced } from './tracer.ts';

/**
 * One client per container. Endpoints come from the standard AWS SDK variables
 * (AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SFN), so the same code runs in AWS
 * and against the local stack.
 */
let doc: DynamoDBDocumentClient | undefined;
let sfn: SFNClient | undefined;

export const documentClient = (): DynamoDBDocumentClient =>
  (doc ??= DynamoDBDocumentClient.from(traced(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  }));

export const sfnClient = (): SFNClient => (sfn ??= traced(new SFNClient({})));

let s3: S3Client | undefined;
/** S3 (AWS_ENDPOINT_URL_S3 locally: an IP address, for which the SDK addresses buckets by path, as S3 allows). */
export const s3Client = (): S3Client => (s3 ??= traced(new S3Client({})));

export const requiredEnv = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set`);
  return v;
};

export const tableName = () => requiredEnv('TABLE_NAME');
