/**
 * A4 PDFs in Chinese (the practice-point posters, the 志愿服务记录证明). The font is Noto Sans SC's
 * simplified-Chinese cut from @fontsource/noto-sans-sc (8,000+ glyphs: GB 2312 and the rarer characters
 * of names, digits and Latin letters; 1.5 MB). pdfkit embeds only the glyphs a document uses, so a poster
 * or a certificate stays small. The WOFF cut, not the WOFF2: fontkit reads WOFF2's transformed glyph
 * table without its offsets and would embed megabytes for a few glyphs.
 * Used by `npm run posters` and the activity function's certificatePdf. In a cloud function neither
 * is bundled into index.js: pdfkit comes from the function's package.json (installed in the cloud), and
 * the font is a file beside index.js (FONT_FILE, looked for first; scripts/build.ts copies it there for
 * every function whose package.json lists pdfkit, and the deploy uploads it with the function).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type PDFKit from 'pdfkit';

export const FONT_FILE = 'noto-sans-sc.woff';
/** Where the font is in the installed package. */
export const FONT_PACKAGE_PATH = '@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-400-normal.woff';
export const A4 = { width: 595.28, height: 841.89 };

let fontBytes: Buffer | null = null;

/**
 * A WOFF font unpacked into the plain TrueType/OpenType file it wraps (each table inflated once, here,
 * by Node's zlib). fontkit reading the WOFF itself inflates a table in JavaScript on every access — the
 * glyph table for every glyph drawn — which makes a page of Chinese take a minute instead of a blink.
 */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') return woff;
  const numTables = woff.readUInt16BE(12);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const at = 44 + i * 20;
    const [offset, compLength, origLength] = [
      woff.readUInt32BE(at + 4),
      woff.readUInt32BE(at + 8),
      woff.readUInt32BE(at + 12),
    ];
    const raw = woff.subarray(offset, offset + compLength);
    return {
      tag: woff.readUInt32BE(at),
      checksum: woff.readUInt32BE(at + 16),
      data: compLength < origLength ? zlib.inflateSync(raw) : raw,
    };
  });
  const log2 = Math.floor(Math.log2(numTables));
  const head = Buffer.alloc(12 + 16 * numTables);
  head.writeUInt32BE(woff.readUInt32BE(4), 0); // the flavour: TrueType or CFF
  head.writeUInt16BE(numTables, 4);
  head.writeUInt16BE(16 << log2, 6);
  head.writeUInt16BE(log2, 8);
  head.writeUInt16BE(numTables * 16 - (16 << log2), 10);
  const parts: Buffer[] = [head];
  let offset = head.length;
  tables.forEach((t, i) => {
    head.writeUInt32BE(t.tag, 12 + i * 16);
    head.writeUInt32BE(t.checksum, 16 + i * 16);
    head.writeUInt32BE(offset, 20 + i * 16);
    head.writeUInt32BE(t.data.length, 24 + i * 16);
    const pad = Buffer.alloc((4 - (t.data.length % 4)) % 4);
    parts.push(t.data, pad);
    offset += t.data.length + pad.length;
  });
  return Buffer.concat(parts);
}

/** The font beside the running bundle (a deployed function), else from the installed package (scripts, tests). */
function font(): Buffer {
  if (fontBytes) return fontBytes;
  const beside = path.join(__dirname, FONT_FILE);
  fontBytes = woffToSfnt(fs.readFileSync(fs.existsSync(beside) ? beside : require.resolve(FONT_PACKAGE_PATH)));
  return fontBytes;
}

export type Pdf = PDFKit.PDFDocument;

/** A new A4 document whose font is the Chinese one; `finish` ends it and answers its bytes. */
export function newPdf(info: { title: string; author: string }): { doc: Pdf; finish(): Promise<Buffer> } {
  // Loaded here, not at module scope: only the actions that make PDFs pay for loading pdfkit.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const PDFDocument = require('pdfkit') as typeof PDFKit;
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: { Title: info.title, Author: info.author, Creator: '文明实践云' },
    autoFirstPage: false,
  });
  doc.registerFont('sc', font());
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return {
    doc,
    finish() {
      doc.end();
      return done;
    },
  };
}

/** Adds an A4 page set in the Chinese font. */
export function addPage(doc: Pdf): void {
  doc.addPage({ size: 'A4', margin: 56 });
  doc.font('sc');
}
