import { intakeRoundOf, type Competition } from '../../shared/competition.ts';
import { AppError } from '../../shared/errors.ts';

export const intakeRoundFor = (c: Competition, roundId: string) => {
  const round = c.rounds.find((r) => r.roundId === roundId);
  if (!round) throw new AppError(404, 'NOT_FOUND', `Round "${roundId}" was not found`);
  if (round.kind !== 'INTAKE') throw new AppError(409, 'ROUND_KIND_NOT_SUPPORTED', `Round "${roundId}" is not an intake round`);
  return intakeRoundOf(c);
};

/**
 * When to wake: just after the deadline's last millisecond, never in the past.
 * CloseIntake re-reads the deadline on waking, so an extended deadline sends the
 * execution back to wait.
 */
export const nextWake = (deadline: string, now: Date): string => new Date(Math.max(Date.parse(deadline) + 1, now.getTime())).toISOString();
