/**
 * Matching (派单): ranks the volunteers who may serve an order — they serve its area and have the
 * skill (the query already ensures both) — by how close they are (the ten-minute circle), how much
 * they already carry, how they are rated and whether they are free now. Every point of the score comes
 * with the reason for it. Deterministic: the same data gives the same order. Pure, no SDK.
 */
import type { Candidate } from '../../../../typings/api';
import { CATEGORY_LABELS, type Category } from '../../../../typings/domain';
import { shanghaiClock } from '../../../../typings/time';
import { distanceFrom } from '../../../../typings/format';
import { distanceM } from '../../org/domain/geo';

export interface VolunteerForMatch {
  openid: string;
  name: string;
  stationIds: string[];
  load: number;
  ratingSum: number;
  ratingCount: number;
  availability: { weekdays: number[]; slots: ('morning' | 'afternoon' | 'evening')[] };
}

export interface MatchOrder {
  category: Category;
  stationId: string;
  location: { lat: number; lng: number } | null;
}

export interface StationLocation {
  id: string;
  lat: number | null;
  lng: number | null;
}

/** Asia/Shanghai weekday (1 = Monday) and half-day slot of a moment, without a time-zone library. */
export function localSlot(now: Date): { weekday: number; slot: 'morning' | 'afternoon' | 'evening' | null } {
  const local = shanghaiClock(now);
  const day = local.getUTCDay();
  const hour = local.getUTCHours();
  const slot =
    hour >= 6 && hour < 12
      ? 'morning'
      : hour >= 12 && hour < 18
        ? 'afternoon'
        : hour >= 18 && hour < 22
          ? 'evening'
          : null;
  return { weekday: day === 0 ? 7 : day, slot };
}

export function rank(
  order: MatchOrder,
  volunteers: VolunteerForMatch[],
  stations: Map<string, StationLocation>,
  now: Date,
): Candidate[] {
  const here =
    order.location ??
    (() => {
      const s = stations.get(order.stationId);
      return s && s.lat !== null && s.lng !== null ? { lat: s.lat, lng: s.lng } : null;
    })();
  const { weekday, slot } = localSlot(now);
  return volunteers
    .map((v) => {
      const reasons: string[] = [];
      let score = 0;
      if (v.stationIds.includes(order.stationId)) {
        score += 15;
        reasons.push('服务本村');
      }
      let nearest: number | null = null;
      if (here) {
        for (const id of v.stationIds) {
          const s = stations.get(id);
          if (!s || s.lat === null || s.lng === null) continue;
          const d = distanceM(here, { lat: s.lat, lng: s.lng });
          if (nearest === null || d < nearest) nearest = d;
        }
      }
      if (nearest !== null) {
        // Full marks inside the ten-minute circle (about 1 km), nothing beyond 10 km.
        score += Math.max(0, 40 - Math.max(0, nearest - 1000) / 225);
        reasons.push(distanceFrom('相距', nearest));
      }
      reasons.push(`会${CATEGORY_LABELS[order.category].replace('送', '')}服务`);
      score += Math.max(0, 20 - 7 * v.load);
      reasons.push(v.load === 0 ? '手上没有任务' : `手上${v.load}单`);
      const rating = v.ratingCount > 0 ? v.ratingSum / v.ratingCount : null;
      if (rating !== null) {
        score += (rating - 3) * 5;
        reasons.push(`评分${rating.toFixed(1)}`);
      } else {
        reasons.push('还没有评分');
      }
      if (slot && v.availability.weekdays.includes(weekday) && v.availability.slots.includes(slot)) {
        score += 10;
        reasons.push('现在有空');
      }
      return {
        openid: v.openid,
        name: v.name,
        score: Math.round(score * 10) / 10,
        reasons,
        distanceM: nearest === null ? null : Math.round(nearest),
        load: v.load,
        rating: rating === null ? null : Math.round(rating * 10) / 10,
      };
    })
    .sort((a, b) => b.score - a.score || a.openid.localeCompare(b.openid));
}
