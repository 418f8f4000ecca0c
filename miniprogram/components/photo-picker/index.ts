/**
 * Up to `max` photos from the album or the camera (wx.chooseMedia), shown as thumbnails that can be
 * removed. Emits `change` with `{ paths }` (local temporary paths); the page uploads them on submit.
 */
import { defineComponent } from '../../base/component';
import type { Tap } from '../../base/events';
import type { ChangeDetail } from './type';

defineComponent({
  properties: {
    paths: { type: Array, value: [] as string[] },
    max: { type: Number, value: 3 },
    disabled: { type: Boolean, value: false },
  },
  data: { items: [] as { key: string; src: string }[] },
  observers: {
    paths(paths: string[]) {
      this.setData({ items: (paths ?? []).map((src, i) => ({ key: `${i}-${src}`, src })) });
    },
  },
  methods: {
    current(): string[] {
      return this.data.paths.slice();
    },

    emit(paths: string[]) {
      const detail: ChangeDetail = { paths };
      this.triggerEvent('change', detail);
    },

    onAdd() {
      const room = this.data.max - this.current().length;
      if (this.data.disabled || room <= 0) return;
      wx.chooseMedia({
        count: room,
        mediaType: ['image'],
        sourceType: ['album', 'camera'],
        sizeType: ['compressed'],
        success: (res) => {
          const picked = res.tempFiles.map((f) => f.tempFilePath).filter(Boolean);
          this.emit([...this.current(), ...picked].slice(0, this.data.max));
        },
        fail: () => {
          // Cancelled: nothing to do.
        },
      });
    },

    onRemove(e: Tap<{ index: number }>) {
      if (this.data.disabled) return;
      const index = Number(e.currentTarget.dataset.index);
      this.emit(this.current().filter((_p, i) => i !== index));
    },

    onPreview(e: Tap<{ index: number }>) {
      const index = Number(e.currentTarget.dataset.index);
      const urls = this.current();
      wx.previewImage({ urls, current: urls[index] });
    },
  },
});
