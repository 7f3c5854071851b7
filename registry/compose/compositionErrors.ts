/** The composition thread could not answer: its worker crashed, exited or did not start, or the thread was closed. */
export class CompositionThreadError extends Error {
  readonly code = 'COMPOSITION_THREAD_FAILED';
  override readonly name = 'CompositionThreadError';
}

/** Composition or diffing threw inside the worker (not a problem report: an exception); the message is the original's. */
export class CompositionException extends Error {
  readonly code = 'COMPOSITION_EXCEPTION';
  override readonly name = 'CompositionException';

  constructor(
    message: string,
    /** The name of the error the worker caught (TypeError, GraphQLError...). */
    readonly originalName: string,
  ) {
    super(message);
  }
}
