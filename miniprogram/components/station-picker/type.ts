/** What `pick` carries: the station (a village or community) chosen. */
export interface PickedStation {
  id: string;
  /** The full name, e.g. 凤山村新时代文明实践站. */
  name: string;
  /** The short name and where it is, e.g. 凤山村（海安街道）. */
  place: string;
}
