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

/** CloudBase reports a duplicate key (unique index or _id) as -502001 with MongoDB's E11000 text. */
export function isDuplicateKey(e: unknown): boolean {
  const err = e as { errCode?: number; errMsg?: string; message?: string } | undefined;
  return /E11000|duplicate key/i.test(String(err?.errMsg ?? err?.message ?? ''));
}

export function isTransactionConflict(e: unknown): boolean {
  const err = e as { code?: string; errMsg?: string; message?: string } | undefined;
  return (
    err?.code === 'DATABASE_TRANSACTION_CONFLICT' ||
    /TRANSACTION_CONFLICT|WriteConflict/i.test(String(err?.errMsg ?? err?.message ?? ''))
  );
}
