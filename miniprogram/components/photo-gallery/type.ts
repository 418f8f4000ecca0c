/** One photo as the gallery shows it (photoViews in packages/order/lib/view.ts). */
export interface PhotoView {
  key: string;
  /** The picture's address; '' while it is still being checked. */
  src: string;
  pending: boolean;
}
