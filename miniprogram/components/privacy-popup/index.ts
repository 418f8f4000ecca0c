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

const AGREE_BUTTON_ID = 'privacy-agree';

Component({
  options: { styleIsolation: 'apply-shared' },

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

    onAgree() {
      this.setData({ shown: false });
      answerPrivacy(true, AGREE_BUTTON_ID);
      this.triggerEvent('answer', { agreed: true });
    },

    onDisagree() {
      this.setData({ shown: false });
      answerPrivacy(false);
      this.triggerEvent('answer', { agreed: false });
    },

    onOpenContract() {
      openPrivacyContract();
    },
  },
});
