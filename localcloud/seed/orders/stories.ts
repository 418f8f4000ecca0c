/**
 * The demo orders' stories: those of the five demo identities, told the same way every time, and the
 * crowd's — where, what, and how far each gets (its final status and what happens on the way).
 */
import type { OrgDoc } from '../../../cloudfunctions/shared/org/domain/model';
import { distanceM } from '../../../cloudfunctions/shared/org/domain/geo';
import type { UserDoc } from '../../../cloudfunctions/shared/user/domain/model';
import type { OrderStatus } from '../../../typings/order';
import type { Rand } from '../random';
import { DEMO_STATION_ID } from '../network';
import type { Cast } from './cast';
import type { Need } from './needs';
import type { Actor } from './play';
import { NEEDS } from './words';

/** How many orders the crowd posts, beside the fixed stories of the demo identities. */
const CROWD_ORDERS = 430;
/** The share of the crowd's orders posted in the demo village itself; the rest fall off with distance. */
const DEMO_STATION_SHARE = 0.25;

export type Final = OrderStatus;

export interface Story {
  stationId: string;
  requester: Actor;
  need: Need;
  final: Final;
  /** The volunteer who ends up with it (the demo volunteer's stories); otherwise one is chosen. */
  helper?: string;
  /** How it reaches a volunteer: dispatched by the responsible admin, or claimed from the hall. */
  claim?: boolean;
  /** Nobody reviewed it in time: it climbs a level before review. */
  lateReview?: boolean;
  /** Nobody took it in time, this many times (two at the center turns it red). */
  lateTake?: number;
  /** A first volunteer declines (or lets the dispatch lapse) before someone takes it. */
  declined?: 'declined' | 'skipped';
  /** A fulfilled order nobody rated closes automatically. */
  autoClose?: boolean;
  /** The requester reopens it once before it is done for good. */
  reopened?: boolean;
  /** Where a finished or cancelled order stops: cancelled from which status. */
  cancelFrom?: 'submitted' | 'open' | 'dispatched';
  stars?: number;
  comment?: string;
}

/** Every story of the demo county, in the order they are played. */
export function storiesOf(cast: Cast, users: UserDoc[], byId: Map<string, OrgDoc>, r: Rand): Story[] {
  const need = (title: string): Need => {
    const n = NEEDS.find((x) => x.title === title);
    if (!n) throw new Error(`seed: no need titled ${title}`);
    return n;
  };
  const villager = (stationId: string, k: number): Actor => {
    const list = cast.villagers.get(stationId) ?? [];
    if (!list.length) throw new Error(`seed: nobody lives at ${stationId}`);
    return list[k % list.length];
  };
  const user = (openid: string): Actor => {
    const u = users.find((x) => x.openid === openid);
    if (!u) throw new Error(`seed: no demo user ${openid}`);
    return { openid, name: u.name ?? openid };
  };

  // The demo identities' stories, told the same way every time.
  const zhao = user('demo-villager');
  const demo = DEMO_STATION_ID;
  const stories: Story[] = [
    // 赵桂英's own: one of each kind of outcome, one fulfilled and waiting for her stars.
    { stationId: demo, requester: zhao, need: need('给孙子买个新书包'), final: 'fulfilled', helper: 'demo-volunteer' },
    { stationId: demo, requester: zhao, need: need('上门帮忙量量血压'), final: 'accepted' },
    { stationId: demo, requester: zhao, need: need('想了解医保报销政策'), final: 'submitted' },
    { stationId: demo, requester: zhao, need: need('屋后排水沟堵了'), final: 'open' },
    {
      stationId: demo,
      requester: zhao,
      need: need('想学用手机交电费'),
      final: 'closed',
      helper: 'demo-volunteer',
      stars: 5,
      comment: '志愿者很耐心，谢谢！',
    },
    { stationId: demo, requester: zhao, need: need('想学跳广场舞'), final: 'cancelled', cancelFrom: 'open' },
    { stationId: demo, requester: zhao, need: need('高龄补贴怎么申请'), final: 'rejected' },
    // 张志愿's: one dispatched to them, one accepted, and two more of their three five-and-four-star jobs.
    {
      stationId: demo,
      requester: villager(demo, 0),
      need: need('帮隔壁{姓}大爷修个电灯'),
      final: 'dispatched',
      helper: 'demo-volunteer',
    },
    {
      stationId: demo,
      requester: villager(demo, 3),
      need: need('上门帮忙量量血压'),
      final: 'accepted',
      helper: 'demo-volunteer',
    },
    {
      stationId: demo,
      requester: villager(demo, 5),
      need: need('想测一测血糖'),
      final: 'closed',
      helper: 'demo-volunteer',
      claim: true,
      stars: 5,
      comment: '来得很及时，帮了大忙。',
    },
    {
      stationId: demo,
      requester: villager(demo, 7),
      need: need('家里电视没信号了'),
      final: 'closed',
      helper: 'demo-volunteer',
      stars: 4,
      comment: '修好了，就是等了两天。',
    },
    // 李站长's desk: reviews waiting, open orders to dispatch (two of them in the volunteer's hall).
    { stationId: demo, requester: villager(demo, 1), need: need('土地承包合同有问题想咨询'), final: 'submitted' },
    { stationId: demo, requester: villager(demo, 2), need: need('想在附近找份工作'), final: 'submitted' },
    { stationId: demo, requester: villager(demo, 4), need: need('想请医生看看老寒腿'), final: 'open' },
    { stationId: demo, requester: villager(demo, 6), need: need('孩子想要几本课外书'), final: 'open' },
    // Escalated to 王所长's institute, and one red at 陈主任's center.
    {
      stationId: cast.stations[2]._id,
      requester: villager(cast.stations[2]._id, 0),
      need: need('赡养老人的事想咨询'),
      final: 'submitted',
      lateReview: true,
    },
    {
      stationId: cast.stations[6]._id,
      requester: villager(cast.stations[6]._id, 0),
      need: need('大棚黄瓜叶子发黄'),
      final: 'open',
      lateTake: 1,
    },
    {
      stationId: demo,
      requester: villager(demo, 8),
      need: need('留守儿童暑期托管缺老师'),
      final: 'open',
      lateTake: 2,
    },
    { stationId: demo, requester: villager(demo, 9), need: need('请医院专家来村里义诊'), final: 'closed', stars: 5 },
  ];

  // The crowd: stations weighted towards the demo village and its neighbours.
  const home = byId.get(DEMO_STATION_ID)!;
  const others = cast.stations.filter((s) => s._id !== DEMO_STATION_ID);
  const at = (d: OrgDoc) => ({ lat: d.lat ?? 0, lng: d.lng ?? 0 });
  const weights = others.map((s) => 1 / (1 + distanceM(at(home), at(s)) / 2000));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const pickStation = (): string => {
    if (r.chance(DEMO_STATION_SHARE)) return DEMO_STATION_ID;
    let x = r() * totalWeight;
    for (let i = 0; i < others.length; i++) {
      x -= weights[i];
      if (x < 0) return others[i]._id;
    }
    return others[others.length - 1]._id;
  };
  const wishes = NEEDS.filter((n) => n.kind === 'wish');
  /** Mostly, villagers ask for what someone in the village can do; the rest climbs to the institute. */
  const servedHere = (stationId: string): Need[] | undefined => {
    const skills = new Set(
      cast.helpers
        .filter((h) => h.openid !== 'demo-volunteer' && h.stationIds.includes(stationId))
        .flatMap((h) => h.skills),
    );
    const served = wishes.filter((n) => skills.has(n.category));
    return served.length && r.chance(0.75) ? served : undefined;
  };
  const whistles = NEEDS.filter((n) => n.kind === 'whistle');
  for (let i = 0; i < CROWD_ORDERS; i++) {
    const stationId = pickStation();
    const final = r.weighted<Final>({
      closed: 52,
      rejected: 5,
      cancelled: 5,
      fulfilled: 6,
      accepted: 9,
      dispatched: 5,
      open: 10,
      submitted: 8,
    });
    stories.push({
      stationId,
      requester: r.pick(cast.villagers.get(stationId) ?? []),
      need: r.chance(0.12) ? r.pick(whistles) : r.pick(servedHere(stationId) ?? wishes),
      final,
      claim: r.chance(0.35),
      lateReview: r.chance(final === 'submitted' ? 0.2 : 0.04),
      lateTake: r.chance(final === 'open' ? 0.25 : 0.06) ? 1 : 0,
      declined: r.chance(0.1) ? r.pick(['declined', 'skipped'] as const) : undefined,
      autoClose: r.chance(0.2),
      reopened: final === 'closed' && r.chance(0.015),
      cancelFrom: r.pick(['submitted', 'open', 'open', 'dispatched'] as const),
      stars: Number(r.weighted({ '5': 78, '4': 17, '3': 5 })),
    });
  }
  return stories;
}
