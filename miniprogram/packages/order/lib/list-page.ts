/**
 * The paged order lists (我的心愿, 我的任务, 任务大厅, 审核派单, 消息) as one kind of page, defined the
 * way base/page.ts's definePage defines any page. A list declares its data (with `...pagedData<T>()`) and
 * writes `fetch(page)`, its rows for one page, plus what is its own; defineListPage adds what every list
 * does the same way:
 *   reload()            loads the first page again (lib/paged.ts: a late answer to the old list is dropped)
 *   onRetry, onMore     the list's 重试 and 加载更多 (appending by path)
 *   onPullDownRefresh   reloads, then stops the pull-down spinner
 * and, when asked for,
 *   tabs                for lists with `tab` in their data, each tab's label and its text when it is
 *                       empty, in the tab bar's order: the data gets `tabs` (for order-tabs) and `empty`;
 *                       showTab(tab) shows a tab and loads it; onTab does so for the tab bar's choice
 *   reloadOnShow        reloads when the user comes back to the list (from a detail where something changed)
 * A list's own method of the same name is used instead (审核派单's reload, 任务大厅's onPullDownRefresh).
 * `this.reload()` and `this.showTab()` are typed to need the list's `fetch` for the rows its data holds, so
 * a list without one, or with one for other rows, does not compile.
 */
import { definePage } from '../../../base/page';
import type { Detail } from '../../../base/events';
import type { ChangeDetail as TabChange, TabOption } from '../../../components/order-tabs/type';
import { loadFirst, loadMore, type Fetch, type PagedData, type PagedHost } from './paged';

type DataOption = WechatMiniprogram.Component.DataOption;
type MethodOption = WechatMiniprogram.Component.MethodOption;
type NoProperties = Record<string, never>;
type NoExtras = Record<string, never>;
type Instance<TData extends DataOption, TMethod extends MethodOption> = WechatMiniprogram.Component.Instance<
  TData,
  NoProperties,
  TMethod,
  [],
  NoExtras,
  true
>;

/** What defineListPage writes for every list. */
export interface ListMethods<TItem> {
  reload(this: ListHost<TItem>): Promise<void>;
  onRetry(): void;
  onMore(): void;
  onPullDownRefresh(): void;
}

/** What it writes for a list with tabs. */
export interface TabMethods<TItem, TTab extends string> {
  showTab(this: ListHost<TItem>, tab: TTab): void;
  onTab(e: Detail<TabChange>): void;
}

/** The rows a list's data holds. */
type ItemOf<TData extends PagedData<unknown>> = TData['items'][number];

/** The tab a list's data holds (`tab: 'active' as Tab`); never for a list without tabs. */
type TabOf<TData> = TData extends { tab: infer T extends string } ? T : never;

/** A tab of a list: its label on the tab bar and what the list says when the tab has nothing. */
export interface ListTab {
  label: string;
  empty: string;
}

export type ListPageOptions<TData extends PagedData<unknown>, TMethod extends MethodOption> = {
  /** For a list with `tab` in its data: its tabs, in the tab bar's order. */
  tabs?: Record<TabOf<TData>, ListTab>;
  /** Reload when the list is shown again (not the first time). */
  reloadOnShow?: boolean;
  data: TData;
  methods: TMethod & Partial<ListMethods<ItemOf<TData>>> & Partial<WechatMiniprogram.Page.ILifetime>;
} & ThisType<Instance<TData, TMethod & ListMethods<ItemOf<TData>> & TabMethods<ItemOf<TData>, TabOf<TData>>>>;

/** The list as the shared methods see it: `fetch` is the list's own. */
interface ListHost<TItem = unknown> extends PagedHost<TItem> {
  data: PagedData<TItem> & { tab?: string; _shown?: boolean };
  fetch: Fetch<TItem>;
  reload(): Promise<void>;
}

const listMethods = {
  reload(this: ListHost) {
    return loadFirst(this, (p) => this.fetch(p));
  },

  onRetry(this: ListHost) {
    void this.reload();
  },

  onMore(this: ListHost) {
    void loadMore(this, (p) => this.fetch(p));
  },

  onPullDownRefresh(this: ListHost) {
    void this.reload().then(() => wx.stopPullDownRefresh());
  },
};

const reloadOnShowMethods = {
  onShow(this: ListHost) {
    // Back from a page opened from this list, where something may have changed: show it.
    if (this.data._shown) void this.reload();
    this.setData({ _shown: true });
  },
};

function tabMethods(tabs: Record<string, ListTab>) {
  return {
    showTab(this: ListHost, tab: string) {
      this.setData({ tab, empty: tabs[tab].empty });
      void this.reload();
    },

    onTab(this: ListHost & { showTab(tab: string): void }, e: Detail<TabChange>) {
      const tab = e.detail.value;
      if (!Object.prototype.hasOwnProperty.call(tabs, tab) || tab === this.data.tab) return;
      this.showTab(tab);
    },
  };
}

/** What the template needs of the tabs: the bar's options, and the first tab's empty text. */
function tabData(tabs: Record<string, ListTab>, first: string): { tabs: TabOption[]; empty: string } {
  return {
    tabs: Object.entries(tabs).map(([key, t]) => ({ key, label: t.label })),
    empty: tabs[first]?.empty ?? '',
  };
}

export function defineListPage<TData extends PagedData<unknown>, TMethod extends MethodOption>(
  options: ListPageOptions<TData, TMethod>,
): string {
  const { tabs, reloadOnShow, data, methods } = options;
  const tab = (data as { tab?: string }).tab ?? '';
  return definePage<DataOption, MethodOption>({
    data: { ...data, ...(tabs ? tabData(tabs, tab) : {}), ...(reloadOnShow ? { _shown: false } : {}) },
    methods: {
      ...listMethods,
      ...(tabs ? tabMethods(tabs) : {}),
      ...(reloadOnShow ? reloadOnShowMethods : {}),
      ...methods,
    },
  });
}
