const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** The spelling durations take in configuration and on command lines: a whole number and one unit, `90s`, `30m`, `1h`, `7d`, `2w`. */
export const DURATION_PATTERN = /^(\d+)(s|m|h|d|w)$/;

/** A duration such as `7d` or `1h`, in milliseconds; throws on any other spelling. */
export function durationMs(text: string): number {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) throw new Error(`${JSON.stringify(text)} is not a duration (a number and one of s, m, h, d, w: 30m, 1h, 7d)`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
