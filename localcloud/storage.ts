/**
 * Cloud storage on the local disk: enough for proof photos. Files live under DATA_DIR/storage; a
 * fileID looks like CloudBase's (`cloud://<env>.<bucket>/<path>`), and temporary URLs are served by the
 * local cloud itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHmac, randomBytes } from 'node:crypto';
import { invalid } from './db/errors';

/** Where the local storage notes who uploaded each file (not a cloud path anyone may use). */
const OWNERS = '.owners';

/** A client's write over a file another user uploaded (STORAGE_EXCEED_AUTHORITY on CloudBase). */
export class StorageForbidden extends Error {
  constructor(readonly cloudPath: string) {
    super(`${cloudPath} was uploaded by another user`);
  }
}

export class Storage {
  private readonly root: string;
  private readonly secret = randomBytes(16);

  constructor(
    dataDir: string,
    private readonly env: string,
    private readonly baseUrl: () => string,
  ) {
    this.root = path.join(dataDir, 'storage');
    fs.mkdirSync(this.root, { recursive: true });
  }

  get bucket(): string {
    return `local-${this.env}`;
  }

  fileId(cloudPath: string): string {
    return `cloud://${this.env}.${this.bucket}/${cloudPath}`;
  }

  /** The cloud path inside a fileID, or undefined when the fileID is not one of ours. */
  pathOf(fileId: string): string | undefined {
    const prefix = `cloud://${this.env}.${this.bucket}/`;
    if (!fileId.startsWith(prefix)) return undefined;
    return this.safePath(fileId.slice(prefix.length));
  }

  safePath(cloudPath: string): string {
    const clean = path.posix.normalize(cloudPath.replace(/^\/+/, ''));
    if (!clean || clean.startsWith('..') || clean.includes('\0')) throw invalid(`invalid cloud path: ${cloudPath}`);
    return clean;
  }

  /**
   * Writes a file. A client's write names its `owner` (the uploader's openid) and is refused over a
   * file someone else uploaded, as the deployed storage rule `resource.openid == auth.openid` refuses
   * it (docs/DEPLOY.md); the server side (no owner) may write anything, as it may on CloudBase.
   */
  write(cloudPath: string, content: Buffer, owner?: string): string {
    const p = this.safePath(cloudPath);
    const file = path.join(this.root, p);
    if (p === OWNERS || p.startsWith(`${OWNERS}/`)) throw invalid(`invalid cloud path: ${cloudPath}`);
    const ownerFile = path.join(this.root, OWNERS, `${p}.owner`);
    if (owner !== undefined) {
      const had = fs.existsSync(ownerFile) ? fs.readFileSync(ownerFile, 'utf8') : fs.existsSync(file) ? '' : owner;
      if (had !== owner) throw new StorageForbidden(p);
      fs.mkdirSync(path.dirname(ownerFile), { recursive: true });
      fs.writeFileSync(ownerFile, owner);
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
    return this.fileId(p);
  }

  read(cloudPath: string): Buffer | undefined {
    const file = path.join(this.root, this.safePath(cloudPath));
    return fs.existsSync(file) ? fs.readFileSync(file) : undefined;
  }

  sign(cloudPath: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${cloudPath}\n${expires}`).digest('hex').slice(0, 32);
  }

  tempUrl(cloudPath: string, maxAgeS: number, now: number): string {
    const expires = Math.floor(now / 1000) + maxAgeS;
    const q = `expires=${expires}&sign=${this.sign(cloudPath, expires)}`;
    return `${this.baseUrl()}/_storage/get/${cloudPath.split('/').map(encodeURIComponent).join('/')}?${q}`;
  }

  verify(cloudPath: string, expires: number, sign: string, now: number): boolean {
    return expires * 1000 >= now && this.sign(cloudPath, expires) === sign;
  }

  getTempUrls(list: { fileid: string; max_age?: number }[], now: number) {
    return list.map(({ fileid, max_age }) => {
      const p = this.pathOf(fileid);
      if (!p || !this.read(p)) return { fileID: fileid, tempFileURL: '', code: 'STORAGE_FILE_NONEXIST' };
      return {
        fileID: fileid,
        tempFileURL: this.tempUrl(p, max_age ?? 7200, now),
        maxAge: max_age ?? 7200,
        code: 'SUCCESS',
      };
    });
  }

  remove(fileIds: string[]) {
    return fileIds.map((fileID) => {
      const p = this.pathOf(fileID);
      const file = p && path.join(this.root, p);
      if (!file || !fs.existsSync(file)) return { fileID, code: 'STORAGE_FILE_NONEXIST' };
      fs.rmSync(file);
      return { fileID, code: 'SUCCESS' };
    });
  }

  /** A signed upload link valid for ten minutes of the cloud's own clock (`now`, as its checks read it). */
  uploadMetadata(cloudPath: string, now: number) {
    const p = this.safePath(cloudPath);
    const expires = Math.floor(now / 1000) + 600;
    return {
      url: `${this.baseUrl()}/_storage/put/${p.split('/').map(encodeURIComponent).join('/')}?expires=${expires}&sign=${this.sign(p, expires)}`,
      token: 'local',
      authorization: 'local',
      fileId: this.fileId(p),
      cosFileId: `local-${randomBytes(8).toString('hex')}`,
    };
  }
}
