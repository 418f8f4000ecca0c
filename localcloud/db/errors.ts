/**
 * Errors shaped like the tcb API's: a string `code` that wx-server-sdk maps to its numeric errCode
 * (DATABASE_REQUEST_FAILED → -502001, DATABASE_COLLECTION_NOT_EXIST → -502005, …) and a message.
 */
export type TcbErrorCode =
  | 'INVALID_PARAM'
  | 'INVALID_ACTION'
  | 'DATABASE_REQUEST_FAILED'
  | 'DATABASE_INVALID_OPERRATOR'
  | 'DATABASE_COLLECTION_NOT_EXIST'
  | 'DATABASE_COLLECTION_ALREADY_EXIST'
  | 'DATABASE_TRANSACTION_CONFLICT'
  | 'DATABASE_TRANSACTION_FAIL'
  | 'STORAGE_FILE_NONEXIST'
  | 'STORAGE_REQUEST_FAIL'
  | 'FUNCTIONS_EXECUTE_FAIL'
  | 'EXCEED_REQUEST_LIMIT'
  | 'EXCEED_CONCURRENT_REQUEST_LIMIT'
  | 'SYS_ERR';

export class TcbError extends Error {
  constructor(
    readonly code: TcbErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TcbError';
  }
}

export const invalid = (message: string): TcbError => new TcbError('INVALID_PARAM', message);

/** MongoDB's wording, which CloudBase passes through and callers match on (`E11000`). */
export function duplicateKey(collection: string, index: string, key: unknown): TcbError {
  return new TcbError(
    'DATABASE_REQUEST_FAILED',
    `E11000 duplicate key error collection: ${collection} index: ${index} dup key: ${JSON.stringify(key)}`,
  );
}
