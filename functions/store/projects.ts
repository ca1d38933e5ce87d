import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Project } from '../../shared/funding/project.ts';
import { documentClient, tableName } from '../lib/aws.ts';
import { GSI1, PROJECT_LIST, projectKey, stripKeys } from './keys.ts';
import { createOnce, getVersioned, updateVersioned } from './versioned.ts';

/** A funded project with the hand-off's bookkeeping (callback tokens, the appointee's answer). */
export interface ProjectRecord extends Project {
  appointment: {
    linkVersion: number;
    expiresAt: string;
    termMonths: number;
    responsibilities: { zh: string; en?: string };
    answer?: { accepted: boolean; at: string; reason?: string };
  };
  appointmentTaskToken?: string;
  appointmentCallbackSentFor?: string;
  meetingTaskToken?: string;
  appliedMeetingToken?: string;
}

const index = (p: { competitionId: string; projectId: string }) => ({ gsi1pk: PROJECT_LIST, gsi1sk: `${p.competitionId}#${p.projectId}` });

/** One project per awarded entry: the id is derived from the entry, so a replayed hand-off finds it. */
export const projectIdOf = (entryId: string) => `PRJ-${entryId}`;
export const getProject = (projectId: string) => getVersioned<ProjectRecord>(projectKey(projectId));
export const createProject = (p: ProjectRecord) => createOnce(projectKey(p.projectId), p, index(p));
export const updateProject = (projectId: string, change: (current: ProjectRecord) => ProjectRecord | undefined) => updateVersioned<ProjectRecord>(projectKey(projectId), change, index);

/** Every project, or a competition's (GSI1, never a Scan). */
export const listProjects = async (competitionId?: string): Promise<ProjectRecord[]> => {
  const out: ProjectRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: GSI1,
        KeyConditionExpression: competitionId ? 'gsi1pk = :p AND begins_with(gsi1sk, :c)' : 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': PROJECT_LIST, ...(competitionId ? { ':c': `${competitionId}#` } : {}) },
        ExclusiveStartKey: start,
      }),
    );
    out.push(...(r.Items ?? []).map((i) => stripKeys(i) as unknown as ProjectRecord));
    start = r.LastEvaluatedKey;
  } while (start);
  return out;
};

/** The appointment wait resumes once the appointee has answered: one claim per registered token. */
export const claimAppointmentCallback = async (projectId: string): Promise<{ token: string; accepted: boolean; reason?: string } | undefined> => {
  let out: { token: string; accepted: boolean; reason?: string } | undefined;
  await updateProject(projectId, (current) => {
    out = undefined;
    const answer = current.appointment.answer;
    if (!answer || !current.appointmentTaskToken || current.appointmentCallbackSentFor === current.appointmentTaskToken) return undefined;
    out = { token: current.appointmentTaskToken, accepted: answer.accepted, ...(answer.reason ? { reason: answer.reason } : {}) };
    return { ...current, appointmentCallbackSentFor: current.appointmentTaskToken };
  });
  return out;
};
