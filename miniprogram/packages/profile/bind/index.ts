/**
 * 绑定村居: pick the village or community (by name, or the nearest), give the name, and say which
 * household: a new one the caller heads, or an existing one by its number (户号, which the head reads
 * on their 我的 page). Submits user.bind; a failure is said in plain words and binds nothing.
 */
import { definePage } from '../../../base/page';
import type { Detail, InputEvent, Tap } from '../../../base/events';
import type { PickedStation } from '../../../components/station-picker/type';
import { goBack } from '../../../services/navigate';
import { currentMe, loadMe, setMe } from '../../../services/session';
import { bind } from '../../../services/user';
import { shortOrgName } from '../../../utils/format';
import { formMessage, NAME_HINT, NAME_RULE } from '../errors';

type Step = 'pick' | 'form' | 'done';
type Household = 'new' | 'join';

definePage({
  data: {
    step: 'pick' as Step,
    current: '',
    station: null as PickedStation | null,
    nameInit: '',
    household: 'new' as Household,
    submitting: false,
    error: '',
    result: null as {
      place: string;
      householdId: string;
      isHead: boolean;
      headName: string;
      waitingFor: string;
    } | null,
    _name: '',
    _householdId: '',
  },

  methods: {
    async onLoad() {
      try {
        const me = currentMe() ?? (await loadMe());
        // The form shows at once: a name typed before the profile arrived is kept, not prefilled over.
        const typed = this.data._name !== '';
        this.setData({
          current: me.station ? shortOrgName(me.station.name) : '',
          ...(typed ? {} : { nameInit: me.name ?? '', _name: me.name ?? '' }),
        });
      } catch {
        // Not fatal: the form works without the prefill, and submitting reports any real problem.
      }
    },

    onPick(e: Detail<PickedStation>) {
      this.setData({ station: e.detail, step: 'form', error: '' });
    },

    onRepick() {
      this.setData({ step: 'pick', error: '' });
    },

    onNameInput(e: InputEvent) {
      this.setData({ _name: e.detail.value });
    },

    onHousehold(e: Tap<{ mode: Household }>) {
      this.setData({ household: e.currentTarget.dataset.mode, error: '' });
    },

    onHouseholdInput(e: InputEvent) {
      this.setData({ _householdId: String(e.detail.value ?? '') });
    },

    async onSubmit() {
      if (this.data.submitting) return;
      const station = this.data.station;
      const name = this.data._name.trim();
      const householdId = this.data._householdId.trim();
      if (!station) return this.setData({ error: '请先选您的村（社区）。', step: 'pick' });
      if (!NAME_RULE.test(name)) return this.setData({ error: NAME_HINT });
      if (this.data.household === 'join' && !householdId) {
        return this.setData({ error: '请填写户号。户主打开“我的”页面就能看到户号。' });
      }
      this.setData({ submitting: true, error: '' });
      const result = await bind({
        stationId: station.id,
        name,
        ...(this.data.household === 'join' ? { householdId } : {}),
      });
      if (!result.ok) {
        this.setData({
          submitting: false,
          error: formMessage(result.error, `${NAME_HINT}户号请照着户主手机上显示的填写。`),
        });
        return;
      }
      const me = result.data;
      setMe(me);
      this.setData({
        submitting: false,
        step: 'done',
        result: {
          place: station.place,
          householdId: me.household?.id ?? '',
          isHead: me.household?.headOpenid === me.openid,
          headName: me.household?.headName ?? '',
          // Joining another household waits for its head to agree on their 我的 page.
          waitingFor: me.joinRequest?.headName ?? '',
        },
      });
      wx.showToast({ title: '绑定成功', icon: 'success' });
    },

    onDone() {
      goBack('me');
    },
  },
});
