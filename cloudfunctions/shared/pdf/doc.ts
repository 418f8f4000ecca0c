/**
 * A4 PDFs in Chinese (the practice-point posters, the 志愿服务记录证明). The font is Noto Sans SC's
 * simplified-Chinese cut from @fontsource/noto-sans-sc (8,000+ glyphs: GB 2312 and the rarer characters
 * of names, digits and Latin letters; 1.5 MB). pdfkit embeds only the glyphs a document uses, so a poster
 * or a certificate stays small. The WOFF cut, not the WOFF2: fontkit reads WOFF2's transformed glyph
 * table without its offsets and would embed megabytes for a few glyphs.
 * Used by `npm run posters` today. For a cloud function (the certificate PDF, not built yet) neither is
 * to be bundled into index.js: pdfkit would come from the function's package.json (installed in the
 * cloud), and the font as a file beside index.js (FONT_FILE, looked for first), uploaded with it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type PDFKit from 'pdfkit';

export const FONT_FILE = 'noto-sans-sc.woff';
/** Where the font is in the installed package. */
export const FONT_PACKAGE_PATH = '@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-400-normal.woff';
export const A4 = { width: 595.28, height: 841.89 };

let fontBytes: Buffer | null = null;

/** The font beside the running bundle (a deployed function), else from the installed package (scripts, tests). */
function font(): Buffer {
  if (fontBytes) return fontBytes;
  const beside = path.join(__dirname, FONT_FILE);
  fontBytes = fs.readFileSync(fs.existsSync(beside) ? beside : require.resolve(FONT_PACKAGE_PATH));
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
