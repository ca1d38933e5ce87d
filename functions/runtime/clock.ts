/**
 * Server time. Handlers read `now()`; tests (and only tests) swap the clock to
 * probe deadlines to the millisecond.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const fixedClock = (iso: string | Date): Clock => {
  const t = new Date(iso).getTime();
  return { now: () => new Date(t) };
};

let clock: Clock = systemClock;

export const now = (): Date => clock.now();
export const useClock = (c: Clock): void => {
  clock = c;
};
