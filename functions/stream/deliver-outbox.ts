import { SendEmailCommand, type SendEmailCommandOutput, SESv2Client } from '@aws-sdk/client-sesv2';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import { observed } from '../runtime/observability.ts';
import { traced } from '../runtime/tracer.ts';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { requiredEnv } from '../runtime/aws.ts';
import { now } from '../runtime/clock.ts';
import { logger } from '../runtime/logger.ts';
import { renderMessage } from '../../shared/review/messages.ts';
import { headerSafe } from '../../shared/text.ts';
import { getCompetition } from '../store/competitions.ts';
import {
  getOutboxMessage,
  markDelivered,
  markRefused,
  NON_ROUND_STAGES,
  type OutboxLink,
  type OutboxMessage,
} from '../store/outbox.ts';
import { mintLinkPath } from '../services/signed-links.ts';
import { recordMetric } from '../runtime/metrics.ts';

let ses: SESv2Client | undefined;

/**
 * SES errors that concern this one message (a malformed or rejected message, a
 * bad address): retrying cannot help. Throttling, account-level and service
 * errors are retried by the event source mapping, then parked in the DLQ.
 */
const REFUSED_FOR_GOOD = new Set(['BadRequestException', 'MessageRejected', 'NotFoundException']);

/**
 * Delivers outbox messages by e-mail (SES v2), driven by the table's stream:
 * the event source mapping passes only newly inserted outbox items. The stored
 * item is read again first, so a redelivered record sends nothing once the
 * message is marked delivered; a failure is reported per record (partial batch
 * response) so one bad address does not hold back the rest. A crash between
 * SES accepting a message and the mark can send it twice — at least once,
 * never lost.
 */
/** The link an outbox entry stands for, signed now (the outbox holds no working link). */
const signed = async (l: OutboxLink) =>
  l.purpose && l.version !== undefined && l.expiresAt
    ? { ...l, path: await mintLinkPath(l.purpose, l.assignmentId, l.version, new Date(l.expiresAt)) }
    : l;

const deliver = async (image: OutboxMessage): Promise<void> => {
  const stored = await getOutboxMessage(image.competitionId, image.roundId, image.messageKey);
  if (!stored || stored.deliveredAt || stored.refusedAt) return;
  const competition = await getCompetition(stored.competitionId);
  // Award, hand-off and needs messages belong to no review round.
  const stage = NON_ROUND_STAGES[stored.roundId as keyof typeof NON_ROUND_STAGES];
  const round = competition?.rounds.find((r) => r.roundId === stored.roundId) ?? (stage ? { name: stage } : undefined);
  if (!competition || !round) {
    logger.warn('outbox message for an unknown competition or round; skipped', { messageKey: stored.messageKey });
    return;
  }
  const links = await Promise.all(stored.links.map(signed));
  const rendered = renderMessage(
    { ...stored, links, competitionTitle: competition.title, roundName: round.name },
    requiredEnv('PUBLIC_BASE_URL'),
  );
  ses ??= traced(new SESv2Client({}));
  const command = new SendEmailCommand({
    FromEmailAddress: headerSafe(requiredEnv('MAIL_FROM')),
    Destination: { ToAddresses: [headerSafe(stored.expertEmail)] },
    Content: {
      Simple: {
        Subject: { Data: rendered.subject, Charset: 'UTF-8' },
        Body: { Text: { Data: rendered.text, Charset: 'UTF-8' }, Html: { Data: rendered.html, Charset: 'UTF-8' } },
      },
    },
    ...(process.env.SES_CONFIGURATION_SET ? { ConfigurationSetName: process.env.SES_CONFIGURATION_SET } : {}),
  });
  let sent: SendEmailCommandOutput;
  try {
    sent = await ses.send(command);
  } catch (e) {
    if (!REFUSED_FOR_GOOD.has((e as Error).name)) throw e;
    // Sending it again would be refused again: record why, and let the records behind it go.
    const refusal = { code: (e as Error).name, message: String((e as Error).message).slice(0, 500) };
    logger.warn('SES refused the message; recorded, not retried', { messageKey: stored.messageKey, ...refusal });
    await markRefused(stored, refusal, now());
    recordMetric('MailsRefused', { competitionId: stored.competitionId });
    return;
  }
  await markDelivered(stored, sent.MessageId ?? 'unknown', now());
  recordMetric('MailsSent', { competitionId: stored.competitionId });
  logger.info('delivered', {
    kind: stored.kind,
    competitionId: stored.competitionId,
    roundId: stored.roundId,
    messageId: sent.MessageId,
  });
};

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse, Error, Context>()
  .use(observed())
  .handler(async (event) => {
    const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      const image = record.dynamodb?.NewImage;
      if (!image) continue;
      try {
        await deliver(unmarshall(image as Record<string, AttributeValue>) as OutboxMessage);
      } catch (e) {
        logger.error('delivery failed; the record will be retried', {
          error: e as Error,
          sequenceNumber: record.dynamodb?.SequenceNumber,
        });
        batchItemFailures.push({ itemIdentifier: record.dynamodb!.SequenceNumber! });
        // Stream order: later records of this shard wait for the failed one.
        break;
      }
    }
    return { batchItemFailures };
  });
