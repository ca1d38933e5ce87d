import { sendTaskSuccess } from '../runtime/executions.ts';
import { claimTaskToken, registerTaskToken, type TokenSlot, type WaitSlot } from '../store/task-tokens.ts';

/**
 * Callback steps (`.waitForTaskToken`). The wait step records its token; the
 * wait resumes when what it waits for has happened — every review in, every
 * sponsor answered, the appointee answered — whether that happened before the
 * token was recorded (the wait step resumes itself) or after (whoever made it
 * happen resumes it). The claim makes sure exactly one of them sends it.
 */
export const resumeIfReady = async (slot: WaitSlot, context: Record<string, unknown>): Promise<boolean> => {
  const claimed = await claimTaskToken(slot);
  if (!claimed) return false;
  // If the wait already ended (say, the round closed on its deadline), the workflow has moved on.
  return sendTaskSuccess(claimed.token, slot.output(claimed.item), context);
};

/** The wait step: record the token, and resume at once if the wait is already over. */
export const registerWait = async (slot: TokenSlot | WaitSlot, taskToken: string, context: Record<string, unknown>) => {
  const item = await registerTaskToken(slot, taskToken);
  if ('ready' in slot && slot.ready(item)) await resumeIfReady(slot, context);
  return { registered: true };
};
