/**
 * The command center's Excel exports on the phone: stats.export writes the workbook to cloud storage,
 * the phone downloads it and opens it with wx.openDocument (menu shown, so it can be forwarded to a
 * chat or saved). In DevTools' develop version the file comes from the local cloud's temporary URL
 * (wx.downloadFile); in production from cloud storage by its fileID (wx.cloud.downloadFile, which
 * needs no download domain). Never throws: every failure is a Result with a message in Chinese.
 */
import type { Req, Res } from '../contract/api';
import type { ApiError, Result } from '../contract/errors';
import { EXPORT_KINDS, EXPORT_LABELS, type ExportKind } from '../contract/stats';
import { useLocalCloud } from '../config';
import { call } from './transport';

export type ExportRequest = Req<'stats', 'export'>;
export type ExportAnswer = Res<'stats', 'export'>;

/**
 * The kinds offered on the phone, with their labels. `figures` is left out until the stats function's
 * overview is wired to it (it answers INVALID_ARGUMENT until then).
 */
export const EXPORT_CHOICES: { kind: ExportKind; label: string }[] = EXPORT_KINDS.map((kind) => ({
  kind,
  label: EXPORT_LABELS[kind],
}));

const failure = (message: string, detail?: string): { ok: false; error: ApiError } => ({
  ok: false,
  error: { code: 'UNAVAILABLE', message, ...(detail ? { details: [detail] } : {}) },
});

/** Asks the cloud for a workbook; answers its fileID, temporary URL, name and row count. */
export function requestExport(request: ExportRequest): Promise<Result<ExportAnswer>> {
  return call('stats', 'export', request);
}

function download(answer: ExportAnswer): Promise<Result<string>> {
  return new Promise((resolve) => {
    const fail = (errMsg: string) => resolve(failure('表格下载失败，请检查网络后再试。', errMsg));
    if (useLocalCloud()) {
      wx.downloadFile({
        url: answer.url,
        success: (res) =>
          res.statusCode === 200
            ? resolve({ ok: true, data: res.tempFilePath })
            : fail(`downloadFile: HTTP ${res.statusCode}`),
        fail: (e) => fail(e.errMsg),
      });
      return;
    }
    wx.cloud.downloadFile({
      fileID: answer.fileID,
      success: (res) => resolve({ ok: true, data: res.tempFilePath }),
      fail: (e) => fail(e.errMsg),
    });
  });
}

/** Opens a downloaded workbook in WeChat's document viewer, with the menu to forward or save it. */
export async function openExport(answer: ExportAnswer): Promise<Result<ExportAnswer>> {
  const file = await download(answer);
  if (!file.ok) return file;
  return new Promise((resolve) => {
    wx.openDocument({
      filePath: file.data,
      fileType: 'xlsx',
      showMenu: true,
      success: () => resolve({ ok: true, data: answer }),
      fail: (e) => resolve(failure('手机打不开这个表格，请在电脑上用 Excel 或 WPS 打开。', e.errMsg)),
    });
  });
}

/** Requests the workbook and opens it: the whole export as the export button does it. */
export async function exportAndOpen(request: ExportRequest): Promise<Result<ExportAnswer>> {
  const made = await requestExport(request);
  if (!made.ok) return made;
  return openExport(made.data);
}
