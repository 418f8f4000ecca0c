/**
 * One to five big stars with the meaning written under them (很不满意 … 非常满意). Tapping a star emits
 * `change` with `{ value }`; `readonly` shows a given rating.
 */
import { defineComponent } from '../../base/component';
import type { Tap } from '../../base/events';
import type { ChangeDetail } from './type';

const WORDS = ['', '很不满意', '不满意', '一般', '满意', '非常满意'];

defineComponent({
  properties: {
    value: { type: Number, value: 0 },
    readonly: { type: Boolean, value: false },
  },
  data: { stars: [1, 2, 3, 4, 5].map((n) => ({ n })), words: WORDS },
  methods: {
    onPick(e: Tap<{ value?: number | string }>) {
      if (this.data.readonly) return;
      const value = Number(e.currentTarget.dataset.value);
      if (!(value >= 1 && value <= 5)) return;
      const detail: ChangeDetail = { value };
      this.triggerEvent('change', detail);
    },
  },
});
