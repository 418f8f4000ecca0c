/**
 * /_storage/…: the signed temporary links that getTempFileURL and getUploadMetadata hand out (GET/HEAD
 * to read a file, PUT to write one), and POST /_storage/upload, the mini-program's wx.uploadFile in
 * local development (wx.cloud.uploadFile in production).
 */
import path from 'node:path';
import type { Clock } from '../clock';
import { StorageForbidden, type Storage } from '../storage';
import { OPENID, readBody, readMultipart, send, type Request, type Route } from './http';

const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.pdf': 'application/pdf',
  '.webp': 'image/webp',
};

function contentType(p: string): string {
  return CONTENT_TYPES[path.extname(p).toLowerCase()] ?? 'application/octet-stream';
}

export function storageRoute(storage: Storage, clock: Clock): Route {
  const signed = async ({ req, res, url, method }: Request): Promise<boolean> => {
    const file = /^\/_storage\/(get|put)\/(.+)$/.exec(url.pathname);
    if (!file) return false;
    const cloudPath = storage.safePath(file[2].split('/').map(decodeURIComponent).join('/'));
    const ok = storage.verify(
      cloudPath,
      Number(url.searchParams.get('expires')),
      url.searchParams.get('sign') ?? '',
      clock.now(),
    );
    if (!ok) {
      send(res, 403, { code: 'STORAGE_SIGN_PARAM_INVALID', message: 'the link has expired or is invalid' });
      return true;
    }
    if (file[1] === 'get' && (method === 'GET' || method === 'HEAD')) {
      const content = storage.read(cloudPath);
      if (!content) {
        send(res, 404, { code: 'STORAGE_FILE_NONEXIST', message: 'file does not exist' });
        return true;
      }
      res.writeHead(200, { 'content-type': contentType(cloudPath), 'content-length': content.length });
      res.end(method === 'HEAD' ? undefined : content);
      return true;
    }
    if (file[1] === 'put' && method === 'PUT') {
      storage.write(cloudPath, await readBody(req));
      res.writeHead(200);
      res.end('');
      return true;
    }
    // A valid link used with the wrong method: no route takes it.
    return false;
  };

  const upload = async ({ req, res, url, method }: Request): Promise<boolean> => {
    if (method !== 'POST' || url.pathname !== '/_storage/upload') return false;
    const header = req.headers['x-wx-openid'];
    if (typeof header !== 'string' || !OPENID.test(header)) {
      send(res, 401, { errCode: -501007, errMsg: 'x-wx-openid is required' });
      return true;
    }
    const { fields, files } = await readMultipart(req);
    const content = files.file;
    if (!content || !fields.cloudPath) {
      send(res, 400, { errCode: -501007, errMsg: 'cloudPath and file are required' });
      return true;
    }
    try {
      send(res, 200, { fileID: storage.write(fields.cloudPath, content, header) });
    } catch (e) {
      if (!(e instanceof StorageForbidden)) throw e;
      send(res, 403, { errCode: -503003, errMsg: `STORAGE_EXCEED_AUTHORITY: ${e.message}` });
    }
    return true;
  };

  return async (r) => (await signed(r)) || upload(r);
}
