/**
 * The paged lists (我的心愿, 我的任务, 任务大厅, 审核, 消息): the first page replaces the list, 加载更多
 * appends by path (`items[20]`, `items[21]` …) so setData carries only the new rows, and an answer that
 * arrives after the list was reloaded (a tab switch) is dropped.
 */
import type { Result } from '../../../contract/errors';

export type ListStatus = 'loading' | 'ready' | 'error';

/** The data fields a paged page declares (the `_` ones are never rendered). */
export interface PagedData<T> {
  listStatus: ListStatus;
  items: T[];
  hasMore: boolean;
  loadingMore: boolean;
  listError: string;
  moreError: string;
  _nextPage: number | null;
  _busy: boolean;
  _generation: number;
}

export function pagedData<T>(): PagedData<T> {
  return {
    listStatus: 'loading',
    items: [],
    hasMore: false,
    loadingMore: false,
    listError: '',
    moreError: '',
    _nextPage: null,
    _busy: false,
    _generation: 0,
  };
}

export interface PagedHost<T> {
  data: PagedData<T>;
  setData(patch: Record<string, unknown>): void;
}

/** One page of a list's rows, and the next page to ask for (null after the last). */
export interface Rows<T> {
  items: T[];
  nextPage: number | null;
}

export type Fetch<T> = (page: number) => Promise<Result<Rows<T>>>;

/** Loads the first page (pages count from 0, as the functions do) and replaces the list. */
export async function loadFirst<T>(host: PagedHost<T>, fetch: Fetch<T>): Promise<void> {
  const generation = host.data._generation + 1;
  // Back to an empty list, busy, as a new generation: an answer to the old list is dropped.
  host.setData({ ...pagedData<T>(), _busy: true, _generation: generation });
  const r = await fetch(0);
  if (host.data._generation !== generation) return;
  if (!r.ok) {
    host.setData({ listStatus: 'error', listError: r.error.message, _busy: false });
    return;
  }
  host.setData({
    listStatus: 'ready',
    items: r.data.items,
    hasMore: r.data.nextPage !== null,
    _nextPage: r.data.nextPage,
    _busy: false,
  });
}

/** Loads the next page and appends it by path. */
export async function loadMore<T>(host: PagedHost<T>, fetch: Fetch<T>): Promise<void> {
  const next = host.data._nextPage;
  if (host.data._busy || next === null) return;
  const generation = host.data._generation;
  const start = host.data.items.length;
  host.setData({ loadingMore: true, moreError: '', _busy: true });
  const r = await fetch(next);
  if (host.data._generation !== generation) return;
  if (!r.ok) {
    host.setData({ loadingMore: false, moreError: r.error.message, _busy: false });
    return;
  }
  const patch: Record<string, unknown> = {
    loadingMore: false,
    hasMore: r.data.nextPage !== null,
    _nextPage: r.data.nextPage,
    _busy: false,
  };
  r.data.items.forEach((item, i) => {
    patch[`items[${start + i}]`] = item;
  });
  host.setData(patch);
}

/** A list answer's rows as the views the page renders. */
export function pageOf<D extends { nextPage: number | null }, R, T>(
  result: Result<D>,
  rows: (data: D) => R[],
  view: (row: R) => T,
): Result<Rows<T>> {
  if (!result.ok) return result;
  return { ok: true, data: { items: rows(result.data).map(view), nextPage: result.data.nextPage } };
}
