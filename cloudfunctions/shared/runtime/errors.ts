import { ERROR_MESSAGES, type ApiError, type ErrorCode } from '../../../typings/errors';

/** An expected failure: answered to the caller as `{ ok: false, error }`, never logged as a crash. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: string[],
  ) {
    super(message ?? ERROR_MESSAGES[code]);
    this.name = 'AppError';
  }

  toApiError(): ApiError {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

export const fail = (code: ErrorCode, message?: string, details?: string[]): never => {
  throw new AppError(code, message, details);
};
