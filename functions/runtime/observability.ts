import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { logger } from './logger.ts';
import { tracer } from './tracer.ts';

/** The middlewares every handler runs under: the request's context on each log line, and its trace. */
export const observed = () => [injectLambdaContext(logger, { resetKeys: true }), captureLambdaHandler(tracer)];
