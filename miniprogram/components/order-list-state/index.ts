/**
 * What a paged list shows instead of rows: 正在加载, the error with 重试 (emits `retry`), or the empty
 * state in plain words. Shows nothing once there are rows.
 */
import { defineComponent } from '../../base/component';

defineComponent({
  properties: {
    status: { type: String, value: 'loading' },
    error: { type: String, value: '' },
    empty: { type: String, value: '' },
    count: { type: Number, value: 0 },
  },
  methods: {
    onRetry() {
      this.triggerEvent('retry', {});
    },
  },
});
