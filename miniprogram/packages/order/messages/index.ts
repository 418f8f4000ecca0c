/**
 * 消息: what happened to the user's orders and tasks, newest first, unread ones marked. Tapping one
 * marks it read and opens its order; 全部标为已读 clears the rest.
 */
import type { Result } from '../../../contract/errors';
import { markMessagesRead, orderMessages } from '../../../services/order';
import { defineListPage } from '../lib/list-page';
import { pagedData, type Rows } from '../lib/paged';
import { messageView, type MessageView } from '../lib/view';
import { openPage } from '../../../services/navigate';
import { pageUrl } from '../../../routes';

defineListPage({
  data: {
    ...pagedData<MessageView>(),
    empty: '还没有消息。需求有了进展，会在这里告诉您。',
    unread: 0,
    marking: false,
  },

  methods: {
    onLoad() {
      void this.reload();
    },

    async fetch(page: number): Promise<Result<Rows<MessageView>>> {
      const r = await orderMessages({ page });
      if (!r.ok) return r;
      this.setData({ unread: r.data.unread });
      return { ok: true, data: { items: r.data.messages.map(messageView), nextPage: r.data.nextPage } };
    },

    onOpen(e: WechatMiniprogram.TouchEvent) {
      const id = String(e.currentTarget.dataset.id);
      const i = this.data.items.findIndex((m) => m.id === id);
      if (i < 0) return;
      const m = this.data.items[i];
      if (!m.read) {
        this.setData({ [`items[${i}].read`]: true, unread: Math.max(0, this.data.unread - 1) });
        void markMessagesRead([id]).then((r) => {
          if (r.ok) this.setData({ unread: r.data.unread });
        });
      }
      if (m.orderId) void openPage(pageUrl('orderDetail', { id: m.orderId }));
    },

    async onReadAll() {
      const ids = this.data.items.filter((m) => !m.read).map((m) => m.id);
      if (ids.length === 0 || this.data.marking) return;
      this.setData({ marking: true });
      const r = await markMessagesRead(ids);
      if (!r.ok) {
        this.setData({ marking: false, moreError: r.error.message });
        return;
      }
      const patch: Record<string, unknown> = { marking: false, unread: r.data.unread };
      this.data.items.forEach((m, i) => {
        if (!m.read) patch[`items[${i}].read`] = true;
      });
      this.setData(patch);
    },
  },
});
