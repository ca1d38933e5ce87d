import { systemClock, type Clock } from '../../shared/clock.ts';

/** The server clock handlers read. Tests (and only tests) swap it to probe deadlines to the millisecond. */
let clock: Clock = systemClock;

export const now = (): Date => clock.now();
export const useClock = (c: Clock): void => {
  clock = c;
};
