import { DescribeExecutionCommand, ExecutionAlreadyExists, RedriveExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { api } from '../lib/http.ts';
import { requiredEnv, sfnClient } from '../lib/aws.ts';
import { organizerRoutes } from '../routes/organizer.ts';
import { AppError, conflict } from '../../shared/errors.ts';
import { roundExecutionName } from '../../shared/competition.ts';
import { requireCompetition } from '../store/competitions.ts';
import { getRoundRun } from '../store/rounds.ts';

/** arn:aws:states:<region>:<account>:stateMachine:<name> → arn:aws:states:<region>:<account>:execution:<name>:<execution> */
const executionArn = (stateMachineArn: string, name: string) => `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

const REDRIVABLE = new Set(['FAILED', 'ABORTED', 'TIMED_OUT']);

export const handler = api(organizerRoutes.adminStartRound, async ({ params }) => {
  const competition = await requireCompetition(params.competitionId);
  const round = competition.rounds.find((r) => r.roundId === params.roundId);
  if (!round) throw new AppError(404, 'NOT_FOUND', 'Round was not found');
  if (competition.status !== 'PUBLISHED') throw conflict('COMPETITION_NOT_OPEN', 'Publish the competition before starting its rounds');
  // A review round scores what the round before it produced: that round must have finished.
  const index = competition.rounds.indexOf(round);
  if (index > 0) {
    const previous = competition.rounds[index - 1]!;
    const run = await getRoundRun(params.competitionId, previous.roundId);
    const finished = previous.kind === 'INTAKE' ? 'SCREENED' : 'TALLIED';
    if (run?.status !== finished) {
      throw conflict('PREVIOUS_ROUND_NOT_FINISHED', `Round "${previous.roundId}" has not finished (status ${run?.status ?? 'NOT_STARTED'}; needs ${finished})`);
    }
  }

  // The intake round and the review rounds each have their state machine.
  const stateMachineArn = requiredEnv(round.kind === 'INTAKE' ? 'INTAKE_STATE_MACHINE_ARN' : 'REVIEW_STATE_MACHINE_ARN');
  const name = roundExecutionName(params.competitionId, params.roundId);
  const input = JSON.stringify({ competitionId: params.competitionId, roundId: params.roundId });
  let arn: string;
  let started = true;
  try {
    arn = (await sfnClient().send(new StartExecutionCommand({ stateMachineArn, name, input }))).executionArn!;
  } catch (e) {
    if (!(e instanceof ExecutionAlreadyExists)) throw e;
    arn = executionArn(stateMachineArn, name);
    started = false;
  }
  let d = await sfnClient().send(new DescribeExecutionCommand({ executionArn: arn }));
  // A round that failed or was interrupted resumes under its own name: every step is idempotent.
  if (!started && REDRIVABLE.has(d.status ?? '')) {
    await sfnClient().send(new RedriveExecutionCommand({ executionArn: arn }));
    d = await sfnClient().send(new DescribeExecutionCommand({ executionArn: arn }));
    started = true;
  }
  return { status: started ? 202 : 200, body: { executionArn: arn, executionName: name, status: d.status, startDate: d.startDate, redriveCount: d.redriveCount ?? 0 } };
});
