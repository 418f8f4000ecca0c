/**
 * What the long forms share (我要点单, 注册志愿者): a problem is said at the field at fault — its card
 * marked (wm-card--invalid), the words under it (wm-form__error) — and the page is brought to it, because
 * the villager tapped 提交 in the bar fixed at the bottom (wm-form__bar), far from the field. A field's
 * node is `#field-<name>`; the page keeps `errorField` and `fieldError` in its data.
 */
export interface FieldErrorData {
  errorField: string;
  fieldError: string;
}

/** Marks `field` with `message` and scrolls the page to it. */
export function showAtField(
  page: { setData(data: Partial<FieldErrorData> & Record<string, unknown>): void },
  field: string,
  message: string,
  extra: Record<string, unknown> = {},
): void {
  page.setData({ errorField: field, fieldError: message, ...extra });
  wx.pageScrollTo({ selector: `#field-${field}`, offsetTop: -16, duration: 300 });
}

/** The field error cleared (the villager fixed it, or the form passed). */
export const noFieldError: FieldErrorData = { errorField: '', fieldError: '' };
