/**
 * The pages opened for one order (详情, 派单) with `?id=`: the id is kept as `_id` (never rendered) and the
 * order loaded; without one the page says 没有找到这个需求。 instead.
 */
export interface OrderQueryHost {
  data: { status: 'loading' | 'ready' | 'error'; errorMessage: string; _id: string };
  setData(patch: Record<string, unknown>): void;
  load(): Promise<void>;
}

export function loadFromQuery(page: OrderQueryHost, query: Record<string, string | undefined>): void {
  const id = decodeURIComponent(query.id ?? '');
  if (!id) {
    page.setData({ status: 'error', errorMessage: '没有找到这个需求。' });
    return;
  }
  page.setData({ _id: id });
  void page.load();
}
