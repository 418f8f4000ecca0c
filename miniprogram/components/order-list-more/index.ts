/**
 * The foot of a paged list: 加载更多 while there are more pages (emits `more`), 已经到底了 after the
 * last, and the plain message when loading the next page failed.
 */
import { defineComponent } from '../../base/component';

defineComponent({
  properties: {
    status: { type: String, value: 'loading' },
    count: { type: Number, value: 0 },
    hasMore: { type: Boolean, value: false },
    loading: { type: Boolean, value: false },
    error: { type: String, value: '' },
  },
  methods: {
    onMore() {
      if (!this.data.loading) this.triggerEvent('more', {});
    },
  },
});
