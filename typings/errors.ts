/**
 * The one list of error codes every cloud function answers with, and the plain Chinese message a
 * villager sees for each. Functions may give a more specific message; these are the defaults.
 */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'CONTENT_REJECTED',
  'FAILED_PRECONDITION',
  'UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const ERROR_MESSAGES: Record<ErrorCode, string> = {
  INVALID_ARGUMENT: '填写的内容不完整或格式不对，请检查后再试。',
  UNAUTHENTICATED: '没有识别到您的微信身份，请重新打开小程序。',
  FORBIDDEN: '您没有办理这件事的权限。',
  NOT_FOUND: '没有找到要办理的内容，可能已被删除。',
  CONFLICT: '这件事刚刚被别人办理了，请刷新后查看。',
  RATE_LIMITED: '操作太频繁了，请稍后再试。',
  CONTENT_REJECTED: '内容里有不适合发布的文字，请修改后再提交。',
  FAILED_PRECONDITION: '现在还不能办理这件事，请先完成前面的步骤。',
  UNAVAILABLE: '服务暂时忙，请稍后再试。',
  INTERNAL: '系统出了点问题，请稍后再试。',
};

export interface ApiError {
  code: ErrorCode;
  message: string;
  /** For developers: which fields were wrong, and how. Never shown to villagers as is. */
  details?: string[];
}

/** Every function answers with this envelope. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: ApiError };

export function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && (ERROR_CODES as readonly string[]).includes(v);
}
