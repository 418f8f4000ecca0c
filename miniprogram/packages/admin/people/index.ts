/**
 * 人员名单 for station heads and above: the people within their scope (user.listPeople), newest first,
 * searchable by name, filtered by role, a page at a time. Phones are shown as the function decides
 * (in full to those who may dispatch the volunteer). Institute and center admins get a 任命 button.
 */
import { definePage } from '../../../base/page';
import type { InputEvent, Tap } from '../../../base/events';
import type { Person } from '../../../contract/api';
import { CATEGORY_LABELS, ROLE_LABELS, ROLES, type Role } from '../../../contract/domain';
import { openPage } from '../../../services/navigate';
import { pageUrl } from '../../../routes';
import { getOrg } from '../../../services/org';
import { currentMe, loadMe } from '../../../services/session';
import { apiErrorOf, unwrap } from '../../../services/transport';
import { listPeople } from '../../../services/user';
import { roleTags, shortOrgName } from '../../../utils/format';
import { appointable, pickPerson, widestScope } from '../scope';

type Status = 'loading' | 'ready' | 'error' | 'forbidden';

interface PersonRow {
  openid: string;
  name: string;
  station: string;
  roles: { key: string; label: string }[];
  phone: string;
  callable: boolean;
  skills: string;
}

const STAFF: Role[] = ['stationHead', 'instituteAdmin', 'centerAdmin'];

/** 站长 · 凤山村: where a staff role is held, so two 顾站长 of two villages read apart. */
function roleRows(p: Person, names: Record<string, string>): PersonRow['roles'] {
  return roleTags(p.roles).flatMap(({ role, label }) => {
    if (!STAFF.includes(role)) return [{ key: role, label }];
    return p.roles
      .filter((g) => g.role === role)
      .map((g) => {
        const where = g.orgId === p.stationId ? p.stationName : g.orgId ? names[g.orgId] : '';
        return { key: `${role}-${g.orgId ?? ''}`, label: where ? `${label} · ${shortOrgName(where)}` : label };
      });
  });
}

/** The names of the nodes staff roles are held at, other than the person's own village. */
function staffNodes(people: Person[]): string[] {
  const ids = people.flatMap((p) =>
    p.roles.filter((g) => STAFF.includes(g.role) && g.orgId && g.orgId !== p.stationId).map((g) => g.orgId as string),
  );
  return [...new Set(ids)];
}

function rowOf(p: Person, names: Record<string, string>): PersonRow {
  return {
    openid: p.openid,
    name: p.name || '（没有填写姓名）',
    station: shortOrgName(p.stationName),
    roles: roleRows(p, names),
    phone: p.phone ?? '',
    callable: !!p.phone && !p.phone.includes('*'),
    skills: p.skills.map((s) => CATEGORY_LABELS[s]).join('、'),
  };
}

definePage({
  data: {
    status: 'loading' as Status,
    message: '',
    scopeTitle: '',
    filters: [{ key: '', label: '全部' }, ...ROLES.map((r) => ({ key: r as string, label: ROLE_LABELS[r] }))],
    role: '',
    people: [] as PersonRow[],
    hasMore: false,
    loadingMore: false,
    canAppoint: false,
    _q: '',
    _nextPage: 0,
    _people: [] as Person[],
    _names: {} as Record<string, string>,
  },

  methods: {
    onLoad() {
      void this.start();
    },

    async start() {
      try {
        const me = currentMe() ?? (await loadMe());
        const scope = widestScope(me.roles);
        if (!scope?.orgId) {
          this.setData({ status: 'forbidden', message: '只有站长、所长和中心管理员能看人员名单。' });
          return;
        }
        this.setData({ canAppoint: appointable(me.roles).length > 0 });
        void getOrg({ id: scope.orgId }).then((r) => {
          if (r.ok) this.setData({ scopeTitle: `${shortOrgName(r.data.name)}的人员` });
        });
        await this.load(0);
      } catch (e) {
        this.setData({ status: 'error', message: apiErrorOf(e).message });
      }
    },

    async load(page: number) {
      const q = this.data._q.trim();
      const role = this.data.role as Role | '';
      try {
        const res = unwrap(
          await listPeople({ ...(q ? { q } : {}), ...(role ? { role } : {}), ...(page > 0 ? { page } : {}) }),
        );
        const names = await this.namesFor(res.people);
        const rows = res.people.map((p) => rowOf(p, names));
        const more = { hasMore: res.nextPage !== null, _nextPage: res.nextPage ?? 0, loadingMore: false };
        if (page === 0) {
          this.setData({ status: 'ready', people: rows, _people: res.people, ...more });
        } else {
          const changes: Record<string, unknown> = { ...more, _people: [...this.data._people, ...res.people] };
          const start = this.data.people.length;
          rows.forEach((r, i) => {
            changes[`people[${start + i}]`] = r;
          });
          this.setData(changes);
        }
      } catch (e) {
        this.setData({ status: 'error', message: apiErrorOf(e).message, loadingMore: false });
      }
    },

    /** The names of the staff roles' nodes on this page of people, read once each. */
    async namesFor(people: Person[]): Promise<Record<string, string>> {
      const names = { ...this.data._names };
      await Promise.all(
        staffNodes(people)
          .filter((id) => !names[id])
          .map(async (id) => {
            const r = await getOrg({ id });
            if (r.ok) names[id] = r.data.name;
          }),
      );
      this.setData({ _names: names });
      return names;
    },

    onQueryInput(e: InputEvent) {
      this.setData({ _q: e.detail.value });
    },

    onSearch() {
      this.setData({ status: 'loading' });
      void this.load(0);
    },

    onFilter(e: Tap<{ key: string }>) {
      const role = e.currentTarget.dataset.key;
      if (role === this.data.role) return;
      this.setData({ role, status: 'loading' });
      void this.load(0);
    },

    onMore() {
      if (!this.data.hasMore || this.data.loadingMore) return;
      this.setData({ loadingMore: true });
      void this.load(this.data._nextPage);
    },

    onRetry() {
      this.setData({ status: 'loading' });
      void this.start();
    },

    onCall(e: Tap<{ phone: string }>) {
      wx.makePhoneCall({ phoneNumber: e.currentTarget.dataset.phone });
    },

    onAppoint(e: Tap<{ index: number }>) {
      const person = this.data._people[Number(e.currentTarget.dataset.index)];
      if (!person) return;
      pickPerson(person);
      void openPage(pageUrl('appoint', { openid: person.openid }));
    },
  },
});
