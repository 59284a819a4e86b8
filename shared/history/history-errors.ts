import { AppError } from '../errors/app-error';

/** What a caller can get wrong when using a history store. */
export type HistoryInputErrorCode =
  | 'HISTORY.INVALID_CURSOR'
  | 'HISTORY.INVALID_READ_OPTIONS'
  | 'HISTORY.INVALID_STREAM'
  | 'HISTORY.INVALID_ENTRY'
  | 'HISTORY.INVALID_NAME';

/**
 * A request the store refuses because of its input, never because of the database: retrying it cannot help.
 * An AppError of kind `invalid`: an HTTP handler answers 400, an event consumer dead-letters the event.
 */
export class HistoryInputError extends AppError {
  override readonly name: string = 'HistoryInputError';
  declare readonly code: HistoryInputErrorCode;

  constructor(code: HistoryInputErrorCode, message: string) {
    super('invalid', code, message);
  }
}

/** A `cursor` that no read of this store produced (garbage, tampered with, or from a read in the other order). */
export class InvalidCursorError extends HistoryInputError {
  override readonly name: string = 'InvalidCursorError';

  constructor(reason: string) {
    super('HISTORY.INVALID_CURSOR', `Invalid history cursor: ${reason}`);
  }
}
