/**
 * The 志愿服务记录证明 as an A4 PDF (民政部《志愿服务记录与证明出具办法》): who (name, masked phone or ID),
 * the period, each service (what, where, when, hours), the totals, the issuing station and date, and the
 * verification code, printed and as a QR code (it holds the code; the verify page reads it). Drawn
 * with pdfkit in the Chinese font (shared/pdf/doc.ts); continues on further pages when the services do.
 */
import type { QRCode } from 'qrcode';
import { shanghaiClock } from '../../../typings/time';
import { A4, addPage, newPdf, type Pdf } from '../pdf/doc';
import type { CertificateDoc } from './domain/certificate';
import { unitHours } from './domain/hours';

const M = 56;
const WIDTH = A4.width - 2 * M;
const BOTTOM = A4.height - 64;
const RED = '#b4282d';
const COLUMNS = [
  { title: '日期', width: 76 },
  { title: '服务内容', width: 170 },
  { title: '地点', width: 150 },
  { title: '时长', width: 56 },
  { title: '类别', width: WIDTH - 76 - 170 - 150 - 56 },
];

/** Beijing date as 2026年6月1日. */
function dateText(at: Date | string): string {
  const d = shanghaiClock(new Date(at));
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

function shortDate(at: Date | string): string {
  return shanghaiClock(new Date(at)).toISOString().slice(0, 10);
}

function hours(minutes: number, unitMin: number): string {
  return `${unitHours(minutes, unitMin)} 小时`;
}

/** The QR code's modules as black squares, `side` points wide, with its quiet zone left white. */
function drawQr(doc: Pdf, text: string, x: number, y: number, side: number): void {
  // Only the encoder's core (no PNG or canvas writers): a few kilobytes in the bundle.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { create } = require('qrcode/lib/core/qrcode') as { create(t: string, o: object): QRCode };
  const qr = create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const cell = side / (n + 8);
  doc.save().fillColor('#000000');
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (qr.modules.get(r, c)) doc.rect(x + (c + 4) * cell, y + (r + 4) * cell, cell, cell);
    }
  }
  doc.fill().restore();
}

function tableHeader(doc: Pdf, y: number): number {
  doc.fontSize(11).fillColor('#ffffff');
  doc.rect(M, y, WIDTH, 22).fill(RED);
  let x = M;
  doc.fillColor('#ffffff');
  for (const col of COLUMNS) {
    doc.text(col.title, x + 4, y + 5, { width: col.width - 8, lineBreak: false });
    x += col.width;
  }
  return y + 22;
}

/** The certificate's bytes. `unitMin` is the county's unit of hours (30: half hours). */
export async function certificatePdf(c: CertificateDoc, unitMin: number): Promise<Buffer> {
  const { doc, finish } = newPdf({ title: `志愿服务记录证明 ${c.code}`, author: c.stationName });
  addPage(doc);

  doc.fillColor(RED).fontSize(26).text('志愿服务记录证明', M, 60, { width: WIDTH, align: 'center' });
  doc
    .fillColor('#333333')
    .fontSize(11)
    .text(`证明编号（验证码）：${c.code}`, M, 100, { width: WIDTH, align: 'center' });

  const recorded = hours(c.recordedMinutes, unitMin);
  const honour = hours(c.honourMinutes, unitMin);
  const total = hours(c.recordedMinutes + c.honourMinutes, unitMin);
  const to = new Date(new Date(c.to).getTime() - 1);
  doc.fillColor('#000000').fontSize(14);
  doc.text(`姓名：${c.name}`, M, 134);
  doc.text(`身份标识：${c.maskedId}`, M + WIDTH / 2, 134);
  doc.text(`服务期间：${dateText(c.from)} 至 ${dateText(to)}`, M, 160);
  doc
    .fontSize(13)
    .text(
      `兹证明 ${c.name} 同志在上述期间参加志愿服务 ${c.services.length} 次，` +
        `记录时长 ${recorded}，荣誉时长 ${honour}，合计 ${total}。服务明细如下：`,
      M,
      188,
      { width: WIDTH, lineGap: 4 },
    );

  let y = tableHeader(doc, doc.y + 10);
  doc.fontSize(10.5);
  for (const s of c.services) {
    const cells = [shortDate(s.at), s.title, s.place, hours(s.minutes, unitMin), s.kind === 'honour' ? '荣誉' : '记录'];
    const h = Math.max(...cells.map((t, i) => doc.heightOfString(t, { width: COLUMNS[i].width - 8 }))) + 8;
    if (y + h > BOTTOM - 20) {
      addPage(doc);
      y = tableHeader(doc, M);
      doc.fontSize(10.5);
    }
    let x = M;
    doc.fillColor('#000000');
    cells.forEach((t, i) => {
      doc.text(t, x + 4, y + 4, { width: COLUMNS[i].width - 8 });
      x += COLUMNS[i].width;
    });
    doc
      .moveTo(M, y + h)
      .lineTo(M + WIDTH, y + h)
      .lineWidth(0.5)
      .strokeColor('#cccccc')
      .stroke();
    y += h;
  }

  // The closing block: issuer, date, the code and its QR, kept together on one page.
  const block = 150;
  if (y + block > BOTTOM) {
    addPage(doc);
    y = M;
  }
  y += 24;
  const qrSide = 104;
  drawQr(doc, c.code, M + WIDTH - qrSide, y, qrSide);
  doc.fillColor('#000000').fontSize(13);
  doc.text(`出具单位：${c.stationName}`, M, y + 8, { width: WIDTH - qrSide - 16 });
  doc.text(`出具日期：${dateText(c.issuedAt)}`, M, y + 34);
  doc.text(`验证码：${c.code}`, M, y + 60);
  doc
    .fontSize(10)
    .fillColor('#555555')
    .text('在“文明实践云”小程序“验证服务证明”中输入验证码或扫描右侧二维码，可查验本证明的真伪与是否有效。', M, y + 88, {
      width: WIDTH - qrSide - 16,
      lineGap: 2,
    });
  return finish();
}
