/**
 * The privacy popup WeChat requires (see services/privacy.ts). Put one on every page that uses a
 * privacy API; the one on the page in front answers. 同意 is a <button open-type="agreePrivacyAuthorization">,
 * as the platform checks that the agreement came from such a button.
 */
import {
  answerPrivacy,
  getPrivacyState,
  listenForPrivacyRequests,
  openPrivacyContract,
  presentPrivacyWith,
  stopPresenting,
} from '../../services/privacy';
import { defineComponent } from '../../base/component';
import type { AnswerDetail } from './type';

const AGREE_BUTTON_ID = 'privacy-agree';

defineComponent({
  data: {
    shown: false,
    contractName: '',
  },

  lifetimes: {
    attached() {
      this.claim();
    },
    detached() {
      stopPresenting(this);
    },
  },

  pageLifetimes: {
    show() {
      this.claim();
    },
  },

  methods: {
    claim() {
      listenForPrivacyRequests();
      presentPrivacyWith(this, () => this.setData({ shown: true }));
      if (!this.data.contractName) {
        void getPrivacyState().then((s) => this.setData({ contractName: s.contractName }));
      }
    },

    answer(agreed: boolean) {
      this.setData({ shown: false });
      answerPrivacy(agreed, agreed ? AGREE_BUTTON_ID : undefined);
      const detail: AnswerDetail = { agreed };
      this.triggerEvent('answer', detail);
    },

    onAgree() {
      this.answer(true);
    },

    onDisagree() {
      this.answer(false);
    },

    onOpenContract() {
      openPrivacyContract();
    },
  },
});
