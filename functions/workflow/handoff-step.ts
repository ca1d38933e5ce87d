import * as z from 'zod';
import { task } from '../runtime/task.ts';
import { now } from '../runtime/clock.ts';
import { queueNotice } from '../services/notifications.ts';
import { meetingDecision } from '../../shared/awards/decision.ts';
import { zodIssues } from '../../shared/errors.ts';
import { applyProjectEvent, type ProjectEvent } from '../../shared/funding/project.ts';
import { requireCompetition } from '../store/competitions.ts';
import { getProject, updateProject } from '../store/projects.ts';
import { outboxMessageKey } from '../store/outbox.ts';

const input = z.object({
  projectId: z.string().min(1).max(60),
  step: z.enum(['ACCEPTED', 'DECLINED', 'EXPIRED', 'MEETING']),
  decision: z.unknown().optional(),
});

/**
 * The hand-off's bookkeeping steps, each applying one guarded lifecycle event:
 * ACCEPTED creates the funded project (pending the meeting), DECLINED and
 * EXPIRED end the hand-off (an expired appointment notifies the organizer),
 * MEETING applies the special review meeting's decision (专题会审议) — a
 * malformed decision is recorded and the workflow waits again. Each event is
 * applied once: a replay finds the project already past it.
 */
export const handler = task(input, async ({ projectId, step, decision }) => {
  const at = now();
  const iso = at.toISOString();
  const apply = async (event: ProjectEvent, by: string, guard: (status: string) => boolean) => {
    const r = await updateProject(projectId, (p) =>
      guard(p.status) ? (applyProjectEvent(p, event, by, iso) as typeof p) : undefined,
    );
    return r.after;
  };
  if (step === 'ACCEPTED')
    return {
      next: 'MEETING',
      status: (await apply({ type: 'APPOINTMENT_ACCEPTED' }, 'appointee', (s) => s === 'PENDING_APPOINTMENT')).status,
    };
  if (step === 'DECLINED') {
    const reason = (await getProject(projectId))?.appointment.answer?.reason;
    return {
      next: 'DONE',
      status: (
        await apply(
          { type: 'APPOINTMENT_DECLINED', ...(reason ? { reason } : {}) },
          'appointee',
          (s) => s === 'PENDING_APPOINTMENT',
        )
      ).status,
    };
  }
  if (step === 'EXPIRED') {
    const p = await apply({ type: 'APPOINTMENT_EXPIRED' }, 'handoff-workflow', (s) => s === 'PENDING_APPOINTMENT');
    const organizer = (await requireCompetition(p.competitionId)).awardPlan.funding.organizerEmail;
    if (organizer) {
      await queueNotice({
        kind: 'ORGANIZER_NOTICE',
        messageKey: outboxMessageKey.organizer(`APPOINTMENT_EXPIRED#${projectId}`),
        to: organizer,
        language: 'zh',
        competitionId: p.competitionId,
        stage: 'handoff',
        closesAt: p.appointment.expiresAt,
        details: [
          `项目经理聘任已超时 / appointment timed out: ${p.title}`,
          `${p.manager.name} <${p.manager.email}>`,
          `project ${projectId}`,
        ],
        at,
      });
    }
    return { next: 'DONE', status: p.status };
  }
  // MEETING: once per meeting token.
  const { after } = await updateProject(projectId, (p) => {
    if (p.status !== 'PENDING_MEETING') return undefined;
    if (p.appliedMeetingToken && p.appliedMeetingToken === p.meetingTaskToken) return undefined;
    const parsed = meetingDecision.safeParse(decision);
    if (!parsed.success) {
      return {
        ...p,
        appliedMeetingToken: p.meetingTaskToken,
        log: [
          ...p.log,
          {
            at: iso,
            by: 'unknown',
            event: 'INVALID_MEETING_DECISION',
            detail: JSON.stringify(zodIssues(parsed.error)).slice(0, 2000),
          },
        ],
      };
    }
    const d = parsed.data;
    const event: ProjectEvent =
      d.decision === 'APPROVE'
        ? { type: 'MEETING_APPROVED', amount: d.amount, minutes: d.minutes }
        : { type: 'MEETING_REJECTED', reason: d.reason };
    return {
      ...(applyProjectEvent(p, event, d.by ?? 'aws-cli', iso) as typeof p),
      appliedMeetingToken: p.meetingTaskToken,
    };
  });
  // Still pending: the decision was malformed; wait for another.
  return {
    next: after.status === 'PENDING_MEETING' ? 'WAIT' : 'DONE',
    status: after.status,
    approvedAmount: after.approvedAmount,
  };
});
