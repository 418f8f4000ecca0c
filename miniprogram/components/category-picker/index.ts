/**
 * The ten services (十送) in a grid of two columns (TDesign's t-grid and t-grid-item), each a big tile of
 * ours with a round mark (the service's key character: 理, 策, 教 …) and its name, the chosen one with a
 * tick; what the chosen one is for, in plain words (CATEGORY_HINTS), shows under the grid. Tapping a tile
 * emits `change` with `{ value }` (the category).
 */
import { defineComponent } from '../../base/component';
import type { Tap } from '../../base/events';
import { CATEGORIES, CATEGORY_LABELS, type Category } from '../../contract/domain';
import { CATEGORY_HINTS } from '../../contract/order';
import type { ChangeDetail } from './type';

const OPTIONS = CATEGORIES.map((key) => ({
  key,
  label: CATEGORY_LABELS[key],
  // 送理论 → 理: read at a glance, without an image to download.
  mark: [...CATEGORY_LABELS[key]][1] ?? '',
  hint: CATEGORY_HINTS[key],
}));

defineComponent({
  properties: {
    value: { type: String, value: '' as Category | '' },
  },
  data: { options: OPTIONS, hints: CATEGORY_HINTS as Record<string, string> },
  methods: {
    onPick(e: Tap<{ value?: Category }>) {
      const value = e.currentTarget.dataset.value;
      if (!value) return;
      const detail: ChangeDetail = { value };
      this.triggerEvent('change', detail);
    },
  },
});
