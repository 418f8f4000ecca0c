/**
 * The export entry of the command center: pick a table (工单明细, 志愿者与服务时长 …), tap 导出, and the
 * workbook of the node and period the page gives is made in the cloud and opened on the phone. Shows
 * that it is working (a large county takes a while) and, on failure, what went wrong in plain words.
 * Emits `exported` with { kind, name, rows } once the document is open.
 */
import { defineComponent } from '../../base/component';
import { EXPORT_CHOICES, exportAndOpen, type ExportRequest } from '../../services/stats-export';

type Status = 'idle' | 'working' | 'done' | 'error';

defineComponent({
  properties: {
    /** The node to export (none: the caller's own). */
    orgId: { type: String, value: '' },
    /** The period, Beijing days YYYY-MM-DD (none: this year to today). */
    from: { type: String, value: '' },
    to: { type: String, value: '' },
  },

  data: {
    labels: EXPORT_CHOICES.map((c) => c.label),
    index: 0,
    status: 'idle' as Status,
    message: '',
  },

  methods: {
    onKind(e: { detail: { value: string | number } }) {
      this.setData({ index: Number(e.detail.value), status: 'idle', message: '' });
    },

    async onExport() {
      if (this.data.status === 'working') return;
      const choice = EXPORT_CHOICES[this.data.index] ?? EXPORT_CHOICES[0];
      this.setData({ status: 'working', message: `正在生成“${choice.label}”，数据多时要等一会儿……` });
      const request: ExportRequest = {
        kind: choice.kind,
        ...(this.data.orgId ? { orgId: this.data.orgId } : {}),
        ...(this.data.from ? { from: this.data.from } : {}),
        ...(this.data.to ? { to: this.data.to } : {}),
      };
      const r = await exportAndOpen(request);
      if (!r.ok) {
        this.setData({ status: 'error', message: r.error.message });
        return;
      }
      this.setData({ status: 'done', message: `已打开“${r.data.name}”，共 ${r.data.rows} 行。` });
      this.triggerEvent('exported', { kind: choice.kind, name: r.data.name, rows: r.data.rows });
    },
  },
});
