import type { TraceRecorder } from './traceRecorder.js';

/**
 * The traces being recorded right now, by trace id, so a brokered hop (POST /delegate,
 * carrying the trace's traceparent) can join the trace of the request that caused it.
 * Only traced requests are here, and only while they run.
 */
export class TraceRegistry {
  private readonly active = new Map<string, TraceRecorder>();

  add(recorder: TraceRecorder): void {
    this.active.set(recorder.traceId, recorder);
  }

  remove(recorder: TraceRecorder): void {
    if (this.active.get(recorder.traceId) === recorder) this.active.delete(recorder.traceId);
  }

  get(traceId: string): TraceRecorder | undefined {
    return this.active.get(traceId);
  }
}
