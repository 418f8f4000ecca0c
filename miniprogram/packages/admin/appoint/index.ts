/**
 * 任命站长/所长: an institute admin appoints station heads of their stations; a center admin appoints
 * institute admins (and fellow center admins) — only what GRANTABLE allows, at nodes of the level the
 * role is held at. Pick a person (from the people list, or found here by name), a role, a node; the
 * roles the caller could have given are listed with 撤销.
 */
import { definePage } from '../../../base/page';
import type { InputEvent, Tap } from '../../../base/events';
import type { Person } from '../../../contract/api';
import { ROLE_LABELS, type Role } from '../../../contract/domain';
import { getOrg, tree } from '../../../services/org';
import { currentMe, loadMe } from '../../../services/session';
import { apiErrorOf, unwrap } from '../../../services/transport';
import { grantRole, listPeople, revokeRole } from '../../../services/user';
import { shortOrgName } from '../../../utils/format';
import { appointable, pickedPerson, type Appointable } from '../scope';

type Status = 'loading' | 'ready' | 'error' | 'forbidden';
type Step = 'person' | 'role';

interface NodeOption {
  id: string;
  name: string;
}

interface PersonRow {
  openid: string;
  name: string;
  station: string;
}

interface RoleRow {
  key: string;
  role: Role;
  orgId: string;
  text: string;
  revocable: boolean;
}

const NODES_PAGE = 50;

/** What the role lets its holder do, said in the confirmation before it is given. */
const ROLE_POWERS: Partial<Record<Role, string>> = {
  stationHead: '任命以后，可以审核本村（社区）的需求、派单，查看本村的人员名单。',
  instituteAdmin: '任命以后，可以管理本镇（街道）的各个实践站、任命站长。',
  centerAdmin: '任命以后，可以管理全县的实践所、实践站，任命所长和中心管理员。',
};

definePage({
  data: {
    status: 'loading' as Status,
    message: '',
    step: 'person' as Step,
    results: [] as PersonRow[],
    searched: false,
    person: null as PersonRow | null,
    personRoles: [] as RoleRow[],
    roleOptions: [] as { role: string; label: string }[],
    role: '',
    nodes: [] as NodeOption[],
    nodeId: '',
    nodesLoading: false,
    submitting: false,
    notice: '',
    error: '',
    _q: '',
    _appointable: [] as Appointable[],
    _found: [] as Person[],
    _person: null as Person | null,
    _nodes: {} as Record<string, NodeOption[]>,
    _names: {} as Record<string, string>,
  },

  methods: {
    async onLoad(query: Record<string, string | undefined>) {
      try {
        const me = currentMe() ?? (await loadMe());
        const options = appointable(me.roles);
        if (options.length === 0) {
          this.setData({ status: 'forbidden', message: '只有所长和中心管理员能任命站长、所长。' });
          return;
        }
        this.setData({
          status: 'ready',
          _appointable: options,
          roleOptions: options.map((o) => ({ role: o.role, label: o.label })),
        });
        const openid = query.openid ? decodeURIComponent(query.openid) : '';
        const person = openid ? pickedPerson(openid) : undefined;
        if (person) await this.choosePerson(person);
      } catch (e) {
        this.setData({ status: 'error', message: apiErrorOf(e).message });
      }
    },

    onQueryInput(e: InputEvent) {
      this.setData({ _q: e.detail.value });
    },

    async onSearch() {
      const q = this.data._q.trim();
      if (!q) {
        this.setData({ error: '请输入要任命的人的姓名。' });
        return;
      }
      this.setData({ error: '' });
      try {
        const res = unwrap(await listPeople({ q }));
        this.setData({
          searched: true,
          _found: res.people,
          results: res.people.map((p) => ({
            openid: p.openid,
            name: p.name || '（没有填写姓名）',
            station: shortOrgName(p.stationName),
          })),
        });
      } catch (e) {
        this.setData({ error: apiErrorOf(e).message });
      }
    },

    onChoosePerson(e: Tap<{ index: number }>) {
      const person = this.data._found[Number(e.currentTarget.dataset.index)];
      if (person) void this.choosePerson(person);
    },

    onChangePerson() {
      this.setData({ step: 'person', person: null, personRoles: [], notice: '', error: '' });
    },

    async choosePerson(person: Person) {
      this.setData({
        step: 'role',
        _person: person,
        person: {
          openid: person.openid,
          name: person.name || '（没有填写姓名）',
          station: shortOrgName(person.stationName),
        },
        // Nothing chosen for them: an appointment is a deliberate choice of a role and a place.
        role: '',
        nodes: [],
        nodeId: '',
        notice: '',
        error: '',
      });
      await this.showPersonRoles();
    },

    onRole(e: Tap<{ role: Role }>) {
      void this.chooseRole(e.currentTarget.dataset.role);
    },

    /** Shows the nodes `role` may be given at; none is chosen until the admin taps one. */
    async chooseRole(role: Role) {
      this.setData({ role, nodeId: '', nodesLoading: true, error: '', notice: '' });
      try {
        const nodes = await this.nodesFor(role);
        this.setData({ nodes, nodesLoading: false });
      } catch (e) {
        this.setData({ nodes: [], nodeId: '', nodesLoading: false, error: apiErrorOf(e).message });
      }
    },

    async nodesFor(role: Role): Promise<NodeOption[]> {
      const cached = this.data._nodes[role];
      if (cached) return cached;
      const option = this.data._appointable.find((o) => o.role === role);
      const lists = await Promise.all(
        (option?.from ?? []).map(async ({ orgId, sameLevel }) => {
          if (sameLevel) {
            const node = unwrap(await getOrg({ id: orgId }));
            return [{ id: node.id, name: node.name }];
          }
          const nodes: NodeOption[] = [];
          for (let page = 0; ; page += 1) {
            const res = unwrap(await tree({ id: orgId, page, pageSize: NODES_PAGE }));
            nodes.push(...(res.children ?? []).map((c) => ({ id: c.id, name: c.name })));
            if (res.nextPage === null) break;
          }
          return nodes;
        }),
      );
      const nodes = lists.flat();
      const names = { ...this.data._names };
      for (const n of nodes) names[n.id] = n.name;
      this.setData({ [`_nodes.${role}`]: nodes, _names: names });
      return nodes;
    },

    /** The person's roles, with 撤销 on those the caller could have given. */
    async showPersonRoles() {
      const person = this.data._person;
      if (!person) return;
      const names = { ...this.data._names };
      const unknown = [...new Set(person.roles.map((r) => r.orgId).filter((id): id is string => !!id && !names[id]))];
      await Promise.all(
        unknown.map(async (id) => {
          const r = await getOrg({ id });
          names[id] = r.ok ? r.data.name : id;
        }),
      );
      const grantable = new Set(this.data._appointable.map((o) => o.role));
      const rows: RoleRow[] = person.roles
        .filter((r): r is { role: Role; orgId: string } => !!r.orgId)
        .map((r) => ({
          key: `${r.role}-${r.orgId}`,
          role: r.role,
          orgId: r.orgId,
          text: `${shortOrgName(names[r.orgId] ?? r.orgId)} ${ROLE_LABELS[r.role]}`,
          revocable: grantable.has(r.role) && (this.data._nodes[r.role] ?? []).some((n) => n.id === r.orgId),
        }));
      this.setData({ personRoles: rows, _names: names });
    },

    onNode(e: Tap<{ id: string }>) {
      this.setData({ nodeId: e.currentTarget.dataset.id, error: '' });
    },

    async onGrant() {
      const person = this.data._person;
      const role = this.data.role as Role;
      const orgId = this.data.nodeId;
      if (!person || this.data.submitting) return;
      if (!role) {
        this.setData({ error: '请先选任命为什么职务。' });
        return;
      }
      if (!orgId) {
        this.setData({ error: '请先选在哪里任职。' });
        return;
      }
      const where = shortOrgName(this.data._names[orgId] ?? orgId);
      wx.showModal({
        title: '确认任命',
        content: `任命 ${this.data.person?.name ?? ''} 为 ${where} ${ROLE_LABELS[role]}？${ROLE_POWERS[role] ?? ''}`,
        confirmText: '任命',
        cancelText: '不任命',
        success: (res) => {
          if (res.confirm) void this.grant(person, role, orgId, where);
        },
      });
    },

    async grant(person: Person, role: Role, orgId: string, where: string) {
      this.setData({ submitting: true, error: '', notice: '' });
      const result = await grantRole({ openid: person.openid, role, orgId });
      if (!result.ok) {
        this.setData({ submitting: false, error: result.error.message });
        return;
      }
      this.setData({
        submitting: false,
        _person: result.data,
        notice: `已任命 ${this.data.person?.name ?? ''} 为 ${where} ${ROLE_LABELS[role]}。`,
      });
      await this.showPersonRoles();
    },

    onRevoke(e: Tap<{ key: string }>) {
      const row = this.data.personRoles.find((r) => r.key === e.currentTarget.dataset.key);
      const person = this.data._person;
      if (!row || !person) return;
      wx.showModal({
        title: '确认撤销',
        content: `撤销 ${this.data.person?.name ?? ''} 的“${row.text}”职务？`,
        confirmText: '撤销',
        cancelText: '不撤销',
        success: (res) => {
          if (res.confirm) void this.revoke(person, row);
        },
      });
    },

    async revoke(person: Person, row: RoleRow) {
      this.setData({ error: '', notice: '' });
      const result = await revokeRole({ openid: person.openid, role: row.role, orgId: row.orgId });
      if (!result.ok) {
        this.setData({ error: result.error.message });
        return;
      }
      this.setData({ _person: result.data, notice: `已撤销 ${this.data.person?.name ?? ''} 的“${row.text}”职务。` });
      await this.showPersonRoles();
    },
  },
});
