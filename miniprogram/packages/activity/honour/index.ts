/**
 * 补记荣誉时长 (station head): hours for service no scan recorded (a flood watch at night, a visit
 * alone), for a volunteer of their station, with what and why. Kept apart from recorded hours and
 * shown apart; a retry of the same form adds them once.
 */
import { definePage } from '../../../base/page';
import type { InputEvent, Tap } from '../../../base/events';
import { activityCall, newRequestId } from '../../../services/activity';
import { stationOfHead } from '../lib/me';
import { listPeople } from '../../../services/user';
import { toast } from '../lib/view';

definePage({
  data: {
    people: [] as { openid: string; name: string }[],
    personIndex: 0,
    hours: '',
    title: '',
    reason: '',
    busy: false,
    message: '',
    _station: '',
    _requestId: newRequestId(),
  },

  methods: {
    onLoad() {
      void this.load();
    },

    async load() {
      const station = (await stationOfHead()) ?? '';
      this.setData({ _station: station });
      if (!station) {
        this.setData({ message: '只有站长可以给本站志愿者补记时长。' });
        return;
      }
      const r = await listPeople({ orgId: station, role: 'volunteer', volunteerStatus: 'active' });
      if (!r.ok) this.setData({ message: r.error.message });
      else this.setData({ people: r.data.people.map((p) => ({ openid: p.openid, name: p.name ?? p.openid })) });
    },

    onPerson(e: { detail: { value: string | number } }) {
      this.setData({ personIndex: Number(e.detail.value) });
    },

    onField(e: InputEvent & Tap<{ field: string }>) {
      this.setData({ [e.currentTarget.dataset.field]: e.detail.value });
    },

    async onSubmit() {
      const d = this.data;
      const person = d.people[d.personIndex];
      const minutes = Math.round(Number(d.hours) * 60);
      if (d.busy) return;
      if (!person || !(minutes > 0) || !d.title.trim() || !d.reason.trim()) {
        toast('请选好志愿者，填上时长、事情和原因');
        return;
      }
      this.setData({ busy: true });
      const r = await activityCall('addHonour', {
        openid: person.openid,
        orgId: d._station,
        minutes,
        title: d.title.trim(),
        reason: d.reason.trim(),
        requestId: d._requestId,
      });
      this.setData({ busy: false });
      if (!r.ok) {
        toast(r.error.message);
        return;
      }
      this.setData({
        hours: '',
        title: '',
        reason: '',
        _requestId: newRequestId(),
        message: `已给${person.name}补记${d.hours}小时。`,
      });
    },
  },
});
