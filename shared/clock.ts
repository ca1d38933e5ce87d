/** Server time, injectable so deadline rules can be tested to the millisecond. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const fixedClock = (iso: string | Date): Clock => {
  const t = new Date(iso).getTime();
  return { now: () => new Date(t) };
};
