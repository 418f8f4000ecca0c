/** Big switchable tabs over a list (办理中 / 全部, 待审核 / 待派单 / 逾期与上报). Emits `change` with `{ value }`. */
Component({
  options: { addGlobalClass: true },
  properties: {
    tabs: { type: Array, value: [] },
    value: { type: String, value: '' },
  },
  methods: {
    onTab(e: WechatMiniprogram.TouchEvent) {
      const value = String(e.currentTarget.dataset.key ?? '');
      if (value && value !== this.data.value) this.triggerEvent('change', { value });
    },
  },
});
