/**
 * An order's photos: those that passed WeChat's image check as pictures (tap to enlarge), those still
 * being checked as a plain 图片审核中 box. Takes PhotoView[]; rejected photos never reach it.
 */
import { defineComponent } from '../../base/component';
import type { Tap } from '../../base/events';
import type { PhotoView } from './type';

defineComponent({
  properties: {
    photos: { type: Array, value: [] as PhotoView[] },
  },
  methods: {
    onPreview(e: Tap<{ src?: string }>) {
      const urls = this.data.photos.filter((p) => !p.pending && p.src).map((p) => p.src);
      const current = String(e.currentTarget.dataset.src ?? '');
      if (urls.length > 0) wx.previewImage({ urls, current });
    },
  },
});
