/**
 * 按住说话 beside a field a villager types into: hold to record, release to have WeChat's speech-to-text
 * (services/speech.ts) turn it into words, which the component hands to the page in a `text` event for
 * the page to add to its field. Shows nothing where voice input is not available (the plugin is not
 * declared), so the form is the same as without it.
 */
import { defineComponent } from '../../base/component';
import { speechAvailable, startListening, stopListening } from '../../services/speech';
import type { TextDetail } from './type';

defineComponent({
  properties: {
    /** What the button says beside the field, e.g. 说一说具体内容. */
    label: { type: String, value: '按住 说话' },
  },
  data: {
    available: false,
    recording: false,
    recognizing: false,
    error: '',
  },
  lifetimes: {
    attached() {
      this.setData({ available: speechAvailable() });
    },
    detached() {
      if (this.data.recording) stopListening();
    },
  },
  methods: {
    onHold() {
      if (this.data.recording) return;
      const started = startListening({
        onText: (text) => {
          this.setData({ recognizing: false, error: text ? '' : '没有听清，请再说一遍。' });
          if (!text) return;
          const detail: TextDetail = { text };
          this.triggerEvent('text', detail);
        },
        onError: (message) => this.setData({ recording: false, recognizing: false, error: message }),
      });
      if (started) this.setData({ recording: true, recognizing: false, error: '' });
      else this.setData({ available: false });
    },
    onRelease() {
      if (!this.data.recording) return;
      this.setData({ recording: false, recognizing: true });
      stopListening();
    },
  },
});
