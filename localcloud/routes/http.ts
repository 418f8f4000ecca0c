/**
 * What every route of the local cloud shares: the request as a route sees it, reading a JSON or
 * multipart body with one size limit, and answering JSON. A route answers whether it took the request,
 * so server.ts can try them in turn and say 404 for what none took.
 */
import type http from 'node:http';
import Busboy from 'busboy';
import { TcbError } from '../db/errors';
import { ID_PATTERN } from '../../typings/time';

export const MAX_BODY = 20 * 1024 * 1024;

/** What the platform accepts as an openid; the gateway and uploads refuse anything else. */
export const OPENID = ID_PATTERN;

export interface Request {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  method: string;
}

/** Handles the request and answers true, or leaves it alone and answers false. */
export type Route = (r: Request) => Promise<boolean>;

export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new TcbError('INVALID_PARAM', 'request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function readMultipart(
  req: http.IncomingMessage,
): Promise<{ fields: Record<string, string>; files: Record<string, Buffer> }> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files: Record<string, Buffer> = {};
    let bb: Busboy.Busboy;
    try {
      bb = Busboy({ headers: req.headers, limits: { fileSize: MAX_BODY } });
    } catch (e) {
      reject(new TcbError('INVALID_PARAM', (e as Error).message));
      return;
    }
    bb.on('field', (name, value) => {
      fields[name] = value;
    });
    bb.on('file', (name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        files[name] = Buffer.concat(chunks);
      });
    });
    bb.on('close', () => resolve({ fields, files }));
    bb.on('error', reject);
    req.pipe(bb);
  });
}

export function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'access-control-allow-origin': '*' });
  res.end(text);
}

/** The caller a request claims in `x-wx-openid` (the first, should it come twice). */
export function claimedOpenid(req: http.IncomingMessage): string | undefined {
  const header = req.headers['x-wx-openid'];
  return Array.isArray(header) ? header[0] : header;
}
