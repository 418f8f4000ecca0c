/**
 * Files a function writes to cloud storage (the exports' workbooks): streamed from a local file, so a
 * large workbook is never held in memory, and answered with a temporary address.
 */
import fs from 'node:fs';
import { sdk } from './sdk';
import { tempUrls } from './platform';

/** Uploads a local file to `cloudPath`; answers its fileID and a temporary URL (valid for `maxAgeS`). */
export async function storeFile(
  cloudPath: string,
  localFile: string,
  maxAgeS = 3600,
): Promise<{ fileID: string; url: string }> {
  const r = (await sdk().uploadFile({ cloudPath, fileContent: fs.createReadStream(localFile) })) as {
    fileID: string;
  };
  const got = (await sdk().getTempFileURL({ fileList: [{ fileID: r.fileID, maxAge: maxAgeS }] })) as {
    fileList: { fileID: string; tempFileURL: string }[];
  };
  const url =
    got.fileList.find((f) => f.fileID === r.fileID)?.tempFileURL ?? (await tempUrls([r.fileID])).get(r.fileID);
  if (!url) throw new Error(`no temporary URL for ${r.fileID}`);
  return { fileID: r.fileID, url };
}
