/**
 * The ten services (十送) as big cards, each with its name and, in plain words, what it is for
 * (CATEGORY_HINTS). Tapping a card emits `change` with `{ value }` (the category).
 */
import { CATEGORIES, CATEGORY_LABELS } from '../../contract/domain';
import { CATEGORY_HINTS } from '../../contract/order';

const OPTIONS = CATEGORIES.map((key) => ({ key, label: CATEGORY_LABELS[key], hint: CATEGORY_HINTS[key] }));

Component({
  options: { addGlobalClass: true },
  properties: {
    value: { type: String, value: '' },
  },
  data: { options: OPTIONS },
  methods: {
    onPick(e: WechatMiniprogram.TouchEvent) {
      const value = String(e.currentTarget.dataset.value ?? '');
      if (value) this.triggerEvent('change', { value });
    },
  },
});
