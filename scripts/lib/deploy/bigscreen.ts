/**
 * The big screen (大屏) on CloudBase: the `bigscreen` function is deployed with the others (it has a
 * config.json); this step gives it an HTTP access path without login and puts the page (.build/bigscreen,
 * from `npm run build`) on static hosting under bigscreen/, with a config.js that points the page at
 * that path. @cloudbase/manager-node calls: access.getDomainList / getAccessList / createAccess
 * (CreateCloudBaseGWAPI, type 1 = cloud function, auth false), hosting.getInfo / uploadFiles.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BuildError } from './definitions';
import type { Credentials } from './manager';

/** The HTTP access path of the bigscreen function. */
export const API_PATH = '/bigscreen-api';
/** The folder of static hosting the page goes to: https://<hosting domain>/bigscreen/ */
export const HOSTING_DIR = 'bigscreen';
const FILES = ['index.html', 'style.css', 'main.js'];

/** Whether the project has a big screen (a fixture project for the deploy tests has none). */
export function hasBigscreen(root: string): boolean {
  return fs.existsSync(path.join(root, 'bigscreen', 'index.html'));
}

/** The built page's files; throws BuildError when the build is missing. */
export function bigscreenFiles(root: string): string[] {
  const dir = path.join(root, '.build', 'bigscreen');
  const missing = FILES.filter((f) => !fs.existsSync(path.join(dir, f)));
  if (missing.length > 0) throw new BuildError(missing.map((f) => `.build/bigscreen/${f} is missing`));
  return FILES.map((f) => path.join(dir, f));
}

export function configJs(apiUrl: string): string {
  return `// Written by npm run deploy: where the big screen reads its figures.\nwindow.BIGSCREEN_API = ${JSON.stringify(apiUrl)};\n`;
}

export async function deployBigscreen(
  creds: Credentials | null,
  root: string,
  log: (line: string) => void,
  dryRun: boolean,
): Promise<void> {
  const files = bigscreenFiles(root);
  if (dryRun) {
    log(
      `big screen: ensure HTTP access ${API_PATH} → function bigscreen (no login); upload ${files.length + 1} files to hosting ${HOSTING_DIR}/`,
    );
    return;
  }
  if (!creds) throw new Error('deployBigscreen needs credentials');
  const { default: CloudBase } = await import('@cloudbase/manager-node');
  const app = new CloudBase({
    secretId: creds.secretId,
    secretKey: creds.secretKey,
    token: creds.sessionToken,
    envId: creds.envId,
    region: creds.region,
  });
  const { DefaultDomain } = await app.access.getDomainList();
  const existing = await app.access.getAccessList({ path: API_PATH });
  if (!existing.APISet?.some((a) => a.Path === API_PATH)) {
    await app.access.createAccess({ path: API_PATH, name: 'bigscreen', type: 1, auth: false });
    log(`big screen: created HTTP access ${API_PATH}`);
  } else log(`big screen: HTTP access ${API_PATH} exists`);
  const api = `https://${DefaultDomain}${API_PATH}`;

  const staged = fs.mkdtempSync(path.join(os.tmpdir(), 'wmsjy-bigscreen-'));
  try {
    fs.writeFileSync(path.join(staged, 'config.js'), configJs(api));
    const upload = [...files, path.join(staged, 'config.js')].map((localPath) => ({
      localPath,
      cloudPath: `${HOSTING_DIR}/${path.basename(localPath)}`,
    }));
    await app.hosting.uploadFiles({ files: upload });
  } finally {
    fs.rmSync(staged, { recursive: true, force: true });
  }
  const [hosting] = await app.hosting.getInfo();
  log(`big screen: https://${hosting?.CdnDomain ?? '<static hosting domain>'}/${HOSTING_DIR}/ reads ${api}`);
}
