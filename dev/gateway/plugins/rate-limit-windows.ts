/** Kong's rate-limiting periods, shortest first. */
export const PERIODS = ['second', 'minute', 'hour', 'day', 'month', 'year'] as const;
export type Period = (typeof PERIODS)[number];

/** Kong's EXPIRATION table: a period's length in seconds (a month is 30 days, a year 365). */
export const PERIOD_SECONDS: Readonly<Record<Period, number>> = {
  second: 1,
  minute: 60,
  hour: 3600,
  day: 86400,
  month: 2592000,
  year: 31536000,
};

/** Start of the fixed window holding `now`, in UTC as Kong's timestamp.get_timestamps computes it. */
export function windowStart(period: Period, now: number): number {
  const date = new Date(now);
  switch (period) {
    case 'second':
      return now - (now % 1000);
    case 'minute':
      return now - (now % 60_000);
    case 'hour':
      return now - (now % 3_600_000);
    case 'day':
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
    case 'month':
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    case 'year':
      return Date.UTC(date.getUTCFullYear(), 0, 1);
  }
}

/**
 * Fixed-window counters of one plugin instance (Kong's `local` policy keys them by the plugin's route and
 * service, so an instance is exactly that scope). One slot per identifier and period, reset when a new window
 * starts, so memory stays bounded by the number of clients.
 */
export class WindowCounters {
  private readonly slots = new Map<string, { start: number; count: number }>();

  /** Requests already counted for `identifier` in the window of `period` holding `now`. */
  usage(identifier: string, period: Period, now: number): number {
    const slot = this.slots.get(`${period}|${identifier}`);
    return slot?.start === windowStart(period, now) ? slot.count : 0;
  }

  /** Counts one request in the current window of each period. */
  increment(identifier: string, periods: readonly Period[], now: number): void {
    for (const period of periods) {
      const key = `${period}|${identifier}`;
      const start = windowStart(period, now);
      const slot = this.slots.get(key);
      if (slot?.start === start) slot.count += 1;
      else this.slots.set(key, { start, count: 1 });
    }
  }
}
