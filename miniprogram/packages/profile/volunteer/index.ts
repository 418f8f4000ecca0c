/**
 * 注册志愿者 / 修改志愿者信息: real name; the phone from WeChat (<button open-type="getPhoneNumber">,
 * whose single-use code the cloud exchanges) or typed in; which of the ten services (十送) they can
 * give; the villages they serve (their own by default, up to 5, more with the station picker); when
 * they are free. Submits user.registerVolunteer.
 */
import { definePage } from '../../../base/page';
import { noFieldError, showAtField } from '../../../base/form';
import type { Detail, InputEvent, Tap } from '../../../base/events';
import type { PickedStation } from '../../../components/station-picker/type';
import type { Me } from '../../../contract/api';
import type { Category } from '../../../contract/domain';
import { SLOT_LABELS } from '../../../contract/domain';
import { goBack } from '../../../services/navigate';
import { getOrg } from '../../../services/org';
import { currentMe, loadMe, setMe } from '../../../services/session';
import { apiErrorOf } from '../../../services/transport';
import { registerVolunteer } from '../../../services/user';
import { shortOrgName, WEEKDAY_LABELS } from '../../../utils/format';
import { formMessage, NAME_HINT, NAME_RULE } from '../errors';
import { skillViews, type SkillView } from './skills';

type Status = 'loading' | 'ready' | 'error' | 'done';
type Slot = 'morning' | 'afternoon' | 'evening';

interface StationChip {
  id: string;
  place: string;
}

const MAX_STATIONS = 5;
const PHONE = /^1\d{10}$/;

/** 凤山村（海安街道） for a station id, from the network. */
async function placeOf(id: string): Promise<StationChip> {
  const r = await getOrg({ id });
  if (!r.ok) return { id, place: id };
  const town = r.data.path.length > 0 ? r.data.path[r.data.path.length - 1].name : '';
  return { id, place: `${shortOrgName(r.data.name)}${town ? `（${shortOrgName(town)}）` : ''}` };
}

async function stationsOf(me: Me): Promise<StationChip[]> {
  if (me.volunteer) return Promise.all(me.volunteer.stationIds.map(placeOf));
  if (me.station) return [await placeOf(me.station.id)];
  return [];
}

definePage({
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    updating: false,
    nameInit: '',
    phoneInit: '',
    phoneFromWechat: false,
    skills: [] as SkillView[],
    stations: [] as StationChip[],
    picking: false,
    weekdays: WEEKDAY_LABELS.map((label, i) => ({ day: i + 1, label, on: false })),
    slots: (Object.keys(SLOT_LABELS) as Slot[]).map((key) => ({ key, label: SLOT_LABELS[key], on: false })),
    submitting: false,
    /** What the cloud refused, said above 提交; a field's own problem is said at the field. */
    error: '',
    errorField: '',
    fieldError: '',
    _name: '',
    _phone: '',
    _phoneCode: '',
  },

  methods: {
    onLoad() {
      void this.load();
    },

    onRetry() {
      this.setData({ status: 'loading' });
      void this.load();
    },

    async load() {
      try {
        const me = currentMe() ?? (await loadMe());
        const v = me.volunteer;
        const name = v?.name ?? me.name ?? '';
        const stations = await stationsOf(me);
        this.setData({
          status: 'ready',
          updating: !!v,
          nameInit: name,
          _name: name,
          phoneInit: v?.phone ?? '',
          _phone: v?.phone ?? '',
          skills: skillViews(v?.skills ?? []),
          stations,
          weekdays: this.data.weekdays.map((w) => ({ ...w, on: !!v?.availability.weekdays.includes(w.day) })),
          slots: this.data.slots.map((s) => ({ ...s, on: !!v?.availability.slots.includes(s.key) })),
        });
      } catch (e) {
        this.setData({ status: 'error', errorMessage: apiErrorOf(e).message });
      }
    },

    onNameInput(e: InputEvent) {
      this.setData({ _name: e.detail.value });
      this.fixed('name');
    },

    /** The villager is fixing the field that was marked: the mark goes. */
    fixed(field: string) {
      if (this.data.errorField === field) this.setData(noFieldError);
    },

    onPhoneInput(e: InputEvent) {
      // A typed number replaces the one from WeChat: the cloud takes exactly one of them.
      this.setData({
        _phone: e.detail.value,
        _phoneCode: '',
        ...(this.data.phoneFromWechat ? { phoneFromWechat: false } : {}),
      });
      this.fixed('phone');
    },

    onGetPhone(e: WechatMiniprogram.CustomEvent<{ code?: string; errMsg?: string }>) {
      const code = e.detail.code;
      if (!code) {
        showAtField(this, 'phone', '没有拿到微信手机号。您可以在下面直接填写手机号。');
        return;
      }
      this.setData({ _phoneCode: code, phoneFromWechat: true, error: '' });
      this.fixed('phone');
    },

    onSkill(e: Tap<{ index: number }>) {
      const i = e.currentTarget.dataset.index;
      this.setData({ [`skills[${i}].on`]: !this.data.skills[i].on });
      this.fixed('skills');
    },

    onWeekday(e: Tap<{ index: number }>) {
      const i = e.currentTarget.dataset.index;
      this.setData({ [`weekdays[${i}].on`]: !this.data.weekdays[i].on });
    },

    onSlot(e: Tap<{ index: number }>) {
      const i = e.currentTarget.dataset.index;
      this.setData({ [`slots[${i}].on`]: !this.data.slots[i].on });
    },

    onAddStation() {
      if (this.data.stations.length >= MAX_STATIONS) {
        showAtField(this, 'stations', `最多选 ${MAX_STATIONS} 个村（社区）。要换一个，先点它旁边的“去掉”。`);
        return;
      }
      this.setData({ picking: true, error: '' });
      this.fixed('stations');
    },

    onCancelPick() {
      this.setData({ picking: false });
    },

    onPick(e: Detail<PickedStation>) {
      const picked = e.detail;
      if (this.data.stations.some((s) => s.id === picked.id)) {
        this.setData({ picking: false });
        return;
      }
      this.setData({
        [`stations[${this.data.stations.length}]`]: { id: picked.id, place: picked.place },
        picking: false,
      });
      this.fixed('stations');
    },

    onRemoveStation(e: Tap<{ id: string }>) {
      const id = e.currentTarget.dataset.id;
      this.setData({ stations: this.data.stations.filter((s) => s.id !== id) });
    },

    async onSubmit() {
      if (this.data.submitting) return;
      const name = this.data._name.trim();
      const phone = this.data._phone.trim();
      const phoneCode = this.data._phoneCode;
      const skills = this.data.skills.filter((s) => s.on).map((s) => s.key as Category);
      const stationIds = this.data.stations.map((s) => s.id);
      // Said at the field at fault, and the page brought to it: 提交 is in the bar at the bottom.
      const problem: [string, string] | null = !NAME_RULE.test(name)
        ? ['name', NAME_HINT]
        : !phoneCode && !PHONE.test(phone)
          ? ['phone', '请点“用微信手机号”，或者填写 11 位手机号。']
          : skills.length === 0
            ? ['skills', '请至少选一项您能做的服务。']
            : stationIds.length === 0
              ? ['stations', '请至少选一个您服务的村（社区）。']
              : null;
      if (problem) return showAtField(this, problem[0], problem[1], { error: '' });

      this.setData({ submitting: true, error: '', ...noFieldError });
      const result = await registerVolunteer({
        name,
        ...(phoneCode ? { phoneCode } : { phone }),
        skills,
        stationIds,
        availability: {
          weekdays: this.data.weekdays.filter((w) => w.on).map((w) => w.day),
          slots: this.data.slots.filter((s) => s.on).map((s) => s.key as Slot),
        },
      });
      if (!result.ok) {
        // A phone code works once: after a failure, the villager taps the button again or types the number.
        this.setData({
          submitting: false,
          _phoneCode: '',
          phoneFromWechat: false,
          error: formMessage(result.error, `${NAME_HINT}手机号请填 11 位。`),
        });
        return;
      }
      setMe(result.data);
      this.setData({ submitting: false, status: 'done' });
      wx.showToast({ title: this.data.updating ? '已保存' : '登记成功', icon: 'success' });
    },

    onDone() {
      goBack('me');
    },
  },
});
