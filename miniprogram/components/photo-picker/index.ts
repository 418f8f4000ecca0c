/**
 * Up to `max` photos from the album or the camera (wx.chooseMedia), shown as thumbnails that can be
 * removed. Emits `change` with `{ paths }` (local temporary paths); the page uploads them on submit.
 */
Component({
  options: { addGlobalClass: true },
  properties: {
    paths: { type: Array, value: [] },
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
      return (this.data.paths as string[]).slice();
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
          const paths = [...this.current(), ...picked].slice(0, this.data.max);
          this.triggerEvent('change', { paths });
        },
        fail: () => {
          // Cancelled: nothing to do.
        },
      });
    },

    onRemove(e: WechatMiniprogram.TouchEvent) {
      if (this.data.disabled) return;
      const index = Number(e.currentTarget.dataset.index);
      const paths = this.current().filter((_p, i) => i !== index);
      this.triggerEvent('change', { paths });
    },

    onPreview(e: WechatMiniprogram.TouchEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const urls = this.current();
      wx.previewImage({ urls, current: urls[index] });
    },
  },
});
