/**
 * The ten services (十送) as big cards, each with its name and, in plain words, what it is for
 * (CATEGORY_HINTS). Tapping a card emits `change` with `{ value }` (the category).
 */
import { defineComponent } from '../../base/component';
import type { Tap } from '../../base/events';
import { CATEGORIES, CATEGORY_LABELS, type Category } from '../../contract/domain';
import { CATEGORY_HINTS } from '../../contract/order';
import type { ChangeDetail } from './type';

const OPTIONS = CATEGORIES.map((key) => ({ key, label: CATEGORY_LABELS[key], hint: CATEGORY_HINTS[key] }));

defineComponent({
  properties: {
    value: { type: String, value: '' as Category | '' },
  },
  data: { options: OPTIONS },
  methods: {
    onPick(e: Tap<{ value?: Category }>) {
      const value = e.currentTarget.dataset.value;
      if (!value) return;
      const detail: ChangeDetail = { value };
      this.triggerEvent('change', detail);
    },
  },
});
