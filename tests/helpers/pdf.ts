/**
 * Reading back the PDFs the project makes, with poppler (pdftotext, pdftoppm, pdfinfo; Debian's
 * poppler-utils, which .ci/run installs): the text a reader's copy-paste gives, and a page rendered to
 * pixels, so a test sees whether the Chinese is really drawn (tofu and blank pages have no text, or no
 * ink) and whether the printed code decodes.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import jsQR from 'jsqr';
import { tempDir } from './localcloud';

const run = promisify(execFile);

export async function pageCount(file: string): Promise<number> {
  const { stdout } = await run('pdfinfo', [file]);
  return Number(/^Pages:\s+(\d+)/m.exec(stdout)?.[1]);
}

/** The text of one page (1-based), line by line, empty lines dropped. */
export async function pageText(file: string, page: number): Promise<string[]> {
  const { stdout } = await run('pdftotext', ['-f', String(page), '-l', String(page), '-layout', file, '-']);
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

export interface Raster {
  width: number;
  height: number;
  /** One byte a pixel, 0 black … 255 white. */
  gray: Uint8Array;
}

/** One page rendered in grey at `dpi` (poppler's pdftoppm, the renderer printers' drivers are built on). */
export async function renderPage(file: string, page: number, dpi = 72): Promise<Raster> {
  const out = path.join(tempDir('wm-pdf-'), 'page');
  await run('pdftoppm', ['-f', String(page), '-l', String(page), '-r', String(dpi), '-gray', '-singlefile', file, out]);
  const pgm = fs.readFileSync(`${out}.pgm`);
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('pdftoppm did not write a PGM');
  const [whole, w, h] = header;
  return { width: Number(w), height: Number(h), gray: pgm.subarray(whole.length) };
}

/** Share of dark pixels in a band of the page given in PDF points from the top (72 a inch). */
export function inkIn(r: Raster, dpi: number, fromPt: number, toPt: number): number {
  const y0 = Math.round((fromPt * dpi) / 72);
  const y1 = Math.round((toPt * dpi) / 72);
  let dark = 0;
  for (let y = y0; y < y1; y++) for (let x = 0; x < r.width; x++) if (r.gray[y * r.width + x] < 128) dark++;
  return dark / ((y1 - y0) * r.width);
}

/** The QR code on the page, decoded, or null. */
export function decodeQr(r: Raster): string | null {
  const rgba = new Uint8ClampedArray(r.width * r.height * 4);
  for (let i = 0; i < r.width * r.height; i++) {
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = r.gray[i];
    rgba[i * 4 + 3] = 255;
  }
  return jsQR(rgba, r.width, r.height)?.data ?? null;
}
