/**
 * User-written text goes through WeChat's content check (security.msgSecCheck, version 2) before
 * anything is stored. A risky verdict is CONTENT_REJECTED; an unreachable check is UNAVAILABLE, never
 * a silent pass.
 */
import { AppError } from './errors';
import { sdk } from './sdk';
import { compactForCheck, normalizeText } from '../../../typings/text';

/** msgSecCheck scenes: 1 profile, 2 comment, 3 forum post, 4 social log. */
export type TextScene = 1 | 2 | 3 | 4;

export async function checkText(openid: string, texts: (string | null | undefined)[], scene: TextScene): Promise<void> {
  // Each text as stored (normalised) and compacted, so a word split by spaces or dots is seen whole.
  const content = texts
    .filter((t): t is string => !!t && t.trim().length > 0)
    .flatMap((t) => [normalizeText(t), compactForCheck(t)])
    .join('\n');
  if (!content) return;
  let suggest: string | undefined;
  try {
    const r = (await sdk().openapi.security.msgSecCheck({
      openid,
      scene,
      version: 2,
      content: content.slice(0, 2500),
    })) as {
      result?: { suggest?: string };
    };
    suggest = r.result?.suggest;
  } catch (e) {
    console.error('msgSecCheck failed', e);
    throw new AppError('UNAVAILABLE', '内容检查暂时不可用，请稍后再试。');
  }
  if (suggest === 'risky') throw new AppError('CONTENT_REJECTED');
}
