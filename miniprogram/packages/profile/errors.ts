/** What the profile forms say when a call fails: the function's plain message, or a clearer one for the form. */
import type { ApiError } from '../../contract/errors';

export const NAME_RULE = /^[\u4e00-\u9fa5A-Za-z·• ]{2,20}$/;
export const NAME_HINT = '姓名请填写 2 到 20 个字，只能是汉字或字母。';

export function formMessage(error: ApiError, invalid: string): string {
  switch (error.code) {
    case 'CONTENT_REJECTED':
      return '填写的姓名没有通过检查，请填写您的真实姓名。';
    case 'INVALID_ARGUMENT':
      return error.message && !error.message.startsWith('填写的内容不完整') ? error.message : invalid;
    default:
      return error.message;
  }
}
