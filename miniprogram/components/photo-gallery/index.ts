/**
 * An order's photos: those that passed WeChat's image check as pictures (tap to enlarge), those still
 * being checked as a plain 图片审核中 box. Takes PhotoView[] (packages/order/lib/view.ts); rejected
 * photos never reach it.
 */
interface PhotoView {
  key: string;
  src: string;
  pending: boolean;
}

Component({
  options: { addGlobalClass: true },
  properties: {
    photos: { type: Array, value: [] },
  },
  methods: {
    onPreview(e: WechatMiniprogram.TouchEvent) {
      const urls = (this.data.photos as PhotoView[]).filter((p) => !p.pending && p.src).map((p) => p.src);
      const current = String(e.currentTarget.dataset.src ?? '');
      if (urls.length > 0) wx.previewImage({ urls, current });
    },
  },
});
