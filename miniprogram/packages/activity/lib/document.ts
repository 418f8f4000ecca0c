/**
 * Opens a PDF kept in cloud storage on the phone, with WeChat's document viewer and its menu (so the
 * villager can forward it to a chat or save it). Everywhere but DevTools' develop version the file is
 * fetched by its fileID (wx.cloud.downloadFile: no download domain to configure); against the local
 * cloud by the temporary address the function answered (wx.downloadFile). Never throws: a failure is
 * a Result with a message the villager can read.
 */
import type { Result } from '../../../contract/errors';
import { CLOUD_ENV, useLocalCloud } from '../../../config';
import { unavailable } from '../../../services/transport';

const DOWNLOAD_MESSAGE = '文件没有下载下来，请检查网络后再试。';
const OPEN_MESSAGE = '这个文件打不开，请稍后再试。';

function errText(e: unknown): string {
  return typeof e === 'object' && e !== null && 'errMsg' in e ? String((e as { errMsg: unknown }).errMsg) : String(e);
}

function downloadLocal(url: string): Promise<Result<string>> {
  return new Promise((resolve) => {
    wx.downloadFile({
      url,
      success(res) {
        if (res.statusCode === 200 && res.tempFilePath) resolve({ ok: true, data: res.tempFilePath });
        else resolve(unavailable(DOWNLOAD_MESSAGE, `${url} answered HTTP ${res.statusCode}`));
      },
      fail(e) {
        resolve(unavailable(DOWNLOAD_MESSAGE, errText(e)));
      },
    });
  });
}

let cloudReady = false;

async function downloadCloud(fileID: string): Promise<Result<string>> {
  if (!cloudReady) {
    wx.cloud.init({ ...(CLOUD_ENV ? { env: CLOUD_ENV } : {}), traceUser: true });
    cloudReady = true;
  }
  try {
    const res = await wx.cloud.downloadFile({ fileID });
    return res.tempFilePath ? { ok: true, data: res.tempFilePath } : unavailable(DOWNLOAD_MESSAGE, 'no tempFilePath');
  } catch (e) {
    return unavailable(DOWNLOAD_MESSAGE, errText(e));
  }
}

/** Downloads the PDF and opens it in WeChat's viewer with the forward/save menu. */
export async function openPdf(file: { fileId: string; url: string }): Promise<Result<null>> {
  const got = useLocalCloud() ? await downloadLocal(file.url) : await downloadCloud(file.fileId);
  if (!got.ok) return got;
  return new Promise((resolve) => {
    wx.openDocument({
      filePath: got.data,
      fileType: 'pdf',
      showMenu: true,
      success: () => resolve({ ok: true, data: null }),
      fail: (e) => resolve(unavailable(OPEN_MESSAGE, errText(e))),
    });
  });
}
