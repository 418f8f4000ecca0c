/**
 * 身边的实践点 — the ten-minute circle: where the villager stands (wx.getLocation), the practice points
 * within 1, 3 or 5 公里 (org.nearby), nearest first, with kind, station, distance, opening hours and
 * address; a tap opens the place in WeChat's map (wx.openLocation). A small map with markers sits
 * above the list. When location is refused the page says how to allow it, and offers to find a
 * village by name and list its points instead.
 */
import { definePage } from '../../base/page';
import type { Detail, Tap } from '../../base/events';
import type { PickedStation } from '../../components/station-picker/type';
import type { OrgNode } from '../../contract/api';
import { POINT_KIND_LABELS } from '../../contract/domain';
import { locate, openLocationSetting, type LocationFailure } from '../../services/location';
import { nearby, tree } from '../../services/org';
import { apiErrorOf, unwrap } from '../../services/transport';
import { formatDistance, shortOrgName } from '../../utils/format';

type Status = 'locating' | 'loading' | 'ready' | 'noLocation' | 'error';
type Mode = 'near' | 'station';

interface PointRow {
  id: string;
  name: string;
  kind: string;
  station: string;
  distance: string;
  hours: string;
  address: string;
}

/** A <map> marker: what the view needs of one. */
interface Marker {
  id: number;
  latitude: number;
  longitude: number;
  title: string;
  width: number;
  height: number;
}

interface Place {
  lat: number;
  lng: number;
  name: string;
  address: string;
}

const RADII = [1000, 3000, 5000];
const LIMIT = 30;

function rowOf(p: OrgNode, station: string, distanceM: number | null): PointRow {
  return {
    id: p.id,
    name: p.name,
    kind: p.kind ? POINT_KIND_LABELS[p.kind] : '实践点',
    station: shortOrgName(station),
    distance: formatDistance(distanceM),
    hours: p.hours ?? '',
    address: p.address ?? '',
  };
}

function placeOf(p: OrgNode): Place | null {
  return p.location ? { ...p.location, name: p.name, address: p.address ?? '' } : null;
}

definePage({
  data: {
    status: 'locating' as Status,
    mode: 'near' as Mode,
    message: '',
    locationProblem: '' as LocationFailure | '',
    radius: 1000,
    radii: RADII.map((value) => ({ value, label: formatDistance(value) })),
    points: [] as PointRow[],
    stationTitle: '',
    center: { lat: 0, lng: 0 },
    markers: [] as Marker[],
    searching: false,
    _places: [] as (Place | null)[],
    _here: null as { lat: number; lng: number } | null,
  },

  methods: {
    onLoad() {
      void this.locateAndLoad();
    },

    onPullDownRefresh() {
      const done = () => wx.stopPullDownRefresh();
      if (this.data.mode === 'near') void this.locateAndLoad().then(done);
      else done();
    },

    async locateAndLoad() {
      this.setData({ status: 'locating', mode: 'near', message: '', locationProblem: '', searching: false });
      const here = await locate();
      if (!here.ok) {
        this.setData({ status: 'noLocation', message: here.message, locationProblem: here.reason });
        return;
      }
      this.setData({ _here: { lat: here.lat, lng: here.lng } });
      await this.loadNearby();
    },

    async loadNearby() {
      const here = this.data._here;
      if (!here) return;
      this.setData({ status: 'loading' });
      try {
        const res = unwrap(await nearby({ lat: here.lat, lng: here.lng, radiusM: this.data.radius, limit: LIMIT }));
        const points = res.points;
        this.setData({
          status: 'ready',
          points: points.map((p) => rowOf(p, p.stationName, p.distanceM)),
          center: here,
          markers: points
            .map((p, i): Marker | null =>
              p.location
                ? { id: i, latitude: p.location.lat, longitude: p.location.lng, title: p.name, width: 28, height: 36 }
                : null,
            )
            .filter((m): m is Marker => m !== null),
          _places: points.map(placeOf),
        });
      } catch (e) {
        this.setData({ status: 'error', message: apiErrorOf(e).message });
      }
    },

    onRadius(e: Tap<{ value: number }>) {
      const radius = Number(e.currentTarget.dataset.value);
      if (radius === this.data.radius) return;
      this.setData({ radius });
      void this.loadNearby();
    },

    onRetry() {
      if (this.data._here) void this.loadNearby();
      else void this.locateAndLoad();
    },

    onRelocate() {
      void this.locateAndLoad();
    },

    async onOpenSetting() {
      if (await openLocationSetting()) void this.locateAndLoad();
    },

    onSearchInstead() {
      this.setData({ searching: true });
    },

    async onPickStation(e: Detail<PickedStation>) {
      const station = e.detail;
      this.setData({ status: 'loading', mode: 'station', searching: false, stationTitle: `${station.place}的实践点` });
      try {
        const res = unwrap(await tree({ id: station.id, pageSize: 50 }));
        const points = (res.children ?? []).filter((c) => c.level === 'point');
        this.setData({
          status: 'ready',
          points: points.map((p) => rowOf(p, station.name, null)),
          markers: [],
          _places: points.map(placeOf),
        });
      } catch (e2) {
        this.setData({ status: 'error', message: apiErrorOf(e2).message });
      }
    },

    onPoint(e: Tap<{ index: number }>) {
      this.open(Number(e.currentTarget.dataset.index));
    },

    onMarker(e: WechatMiniprogram.CustomEvent<{ markerId: number }>) {
      this.open(Number(e.detail.markerId));
    },

    open(index: number) {
      const place = this.data._places[index];
      if (!place) {
        wx.showToast({ title: '这个实践点还没有标位置', icon: 'none' });
        return;
      }
      wx.openLocation({
        latitude: place.lat,
        longitude: place.lng,
        name: place.name,
        address: place.address,
        scale: 17,
      });
    },
  },
});
