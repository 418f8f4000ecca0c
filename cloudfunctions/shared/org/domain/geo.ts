/** Distances for the ten-minute circle. Plain functions, no SDK. */

/**
 * MongoDB's radius for 2dsphere queries (6,378.1 km), not the mean 6,371 km: a distance shown next to
 * a place found by geoNear must be the one geoNear filtered by, or a point at the edge of the circle
 * would be shown a few metres outside it.
 */
export const EARTH_RADIUS_M = 6_378_100;

/** A place as stored for a 2dsphere index: GeoJSON, longitude first, as the SDK writes db.Geo.Point. */
export interface GeoPoint {
  type: 'Point';
  coordinates: [number, number];
}

export function geoPoint(lat: number | null, lng: number | null): GeoPoint | null {
  return lat === null || lng === null ? null : { type: 'Point', coordinates: [lng, lat] };
}
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres (haversine). */
export function distanceM(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}
