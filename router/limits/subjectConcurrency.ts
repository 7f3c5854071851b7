/**
 * How many requests each subject has in flight, capped, so one user cannot take every worker
 * of the router from the others. `enter` is false when the subject is at the cap.
 */
export function createSubjectConcurrency(max: number) {
  const inFlight = new Map<string, number>();
  return {
    enter(subject: string): boolean {
      const count = inFlight.get(subject) ?? 0;
      if (count >= max) return false;
      inFlight.set(subject, count + 1);
      return true;
    },
    leave(subject: string): void {
      const count = (inFlight.get(subject) ?? 1) - 1;
      if (count <= 0) inFlight.delete(subject);
      else inFlight.set(subject, count);
    },
  };
}
