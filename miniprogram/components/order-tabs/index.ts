/** Big switchable tabs over a list (办理中 / 全部, 待审核 / 待派单 / 逾期与上报). Emits `change` with `{ value }`. */
import { defineComponent } from '../../base/component';
import type { Tap } from '../../base/events';
import type { ChangeDetail, TabOption } from './type';

defineComponent({
  properties: {
    tabs: { type: Array, value: [] as TabOption[] },
    value: { type: String, value: '' },
  },
  methods: {
    onTab(e: Tap<{ key?: string }>) {
      const value = String(e.currentTarget.dataset.key ?? '');
      if (!value || value === this.data.value) return;
      const detail: ChangeDetail = { value };
      this.triggerEvent('change', detail);
    },
  },
});
