/**
 * The 志愿服务记录证明 as a PDF, through the local cloud: a volunteer with recorded and honour hours
 * asks for a certificate, then for its PDF; the file is downloaded from the temporary address the
 * function answers and read back with poppler — the Chinese is really there (text and ink), every
 * service is listed (over a second page), the code is printed and its QR code decodes to it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startTestCloud, tempDir, type TestCloud } from '../helpers/localcloud';
import { volunteerAt } from '../helpers/people';
import { activityClient, at, HEAD } from '../helpers/activities';
import { decodeQr, inkIn, pageCount, pageText, renderPage } from '../helpers/pdf';

let cloud: TestCloud;
let act: ReturnType<typeof activityClient>;
const base = new Date('2026-06-01T00:00:00.000Z');
const VOLUNTEER = 'pdf-volunteer';
const HONOURS = 36;

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
  act = activityClient(cloud);
  await cloud.setClock(base.toISOString());
  volunteerAt(cloud, VOLUNTEER, 'haian-01-001', ['health'], '王证明');
});

afterAll(async () => {
  await cloud.close();
});

async function download(url: string): Promise<string> {
  const r = await fetch(url);
  expect(r.status).toBe(200);
  const file = path.join(tempDir('wm-cert-'), 'certificate.pdf');
  fs.writeFileSync(file, Buffer.from(await r.arrayBuffer()));
  return file;
}

it('gives the certificate as a PDF with the Chinese text, every service, the code and a QR code of it', async () => {
  // 90 minutes by scanning in and out, and many honour records: the list runs onto a second page.
  const id = await act.create(base, { title: '凤山村健康义诊', capacity: 5 });
  await act.ok(act.call(VOLUNTEER, { action: 'signup', id }));
  await cloud.setClock(at(base, 125));
  await act.ok(act.scan(VOLUNTEER, await act.scene(id)));
  await cloud.setClock(at(base, 215));
  await act.ok(act.scan(VOLUNTEER, await act.scene(id)));
  for (let i = 0; i < HONOURS; i++) {
    await act.ok(
      act.call(HEAD, {
        action: 'addHonour',
        openid: VOLUNTEER,
        orgId: 'haian-01-001',
        minutes: 30,
        title: `防汛值守第${i + 1}班`,
        reason: '汛期值守，当时没有扫码',
        at: at(base, 60 + i),
        requestId: `pdf-honour-${String(i).padStart(4, '0')}`,
      }),
    );
  }
  const cert = await act.ok(act.call(VOLUNTEER, { action: 'certificate', from: '2026-06-01', to: '2026-06-01' }));
  expect(cert.services).toHaveLength(HONOURS + 1);

  const pdf = await act.ok(act.call(VOLUNTEER, { action: 'certificatePdf', code: cert.code.toLowerCase() }));
  expect(pdf.fileId).toMatch(/^cloud:\/\/.+\/certificates\/[A-Z2-9]{12}\.pdf$/);
  // Asked again (before the slow readback, while the connection is fresh): the same file, made once.
  const again = await act.ok(act.call(VOLUNTEER, { action: 'certificatePdf', code: cert.code }));
  expect(again.fileId).toBe(pdf.fileId);
  const stored = cloud.engine.find('certificates', { query: { _id: cert.code } })[0] as { pdfFileId?: string };
  expect(stored.pdfFileId).toBe(pdf.fileId);
  const file = await download(pdf.url);

  expect(await pageCount(file)).toBe(2);
  const first = (await pageText(file, 1)).join('\n');
  const second = (await pageText(file, 2)).join('\n');
  expect(first).toContain('志愿服务记录证明');
  expect(first).toContain(`证明编号（验证码）：${cert.code}`);
  expect(first).toContain('姓名：王证明');
  expect(first).toContain(`身份标识：${cert.maskedId}`);
  expect(first).toContain('服务期间：2026年6月1日 至 2026年6月1日');
  // The sentence wraps where the page width says: read it with the line breaks taken out.
  expect(first.replace(/\s/g, '')).toContain(
    `参加志愿服务${HONOURS + 1}次，记录时长1.5小时，荣誉时长18小时，合计19.5小时`,
  );
  expect(first).toMatch(/2026-06-01\s+防汛值守第1班\s+凤山村新时代文明实践站\s+0\.5 小时\s+荣誉/);
  // In time order: the honour records of the morning, then the scanned service (the last row).
  expect(second).toMatch(/2026-06-01\s+凤山村健康义诊\s+.*1\.5 小时\s+记录/);
  const all = `${first}\n${second}`;
  for (let i = 1; i <= HONOURS; i++) expect(all).toContain(`防汛值守第${i}班`);
  expect(second).toContain('出具单位：凤山村新时代文明实践站');
  expect(second).toContain('出具日期：2026年6月1日');
  expect(second).toContain(`验证码：${cert.code}`);

  // Drawn, not tofu: the title band has ink, and the QR code on the last page decodes to the code.
  const dpi = 150;
  expect(inkIn(await renderPage(file, 1, dpi), dpi, 56, 96)).toBeGreaterThan(0.01);
  expect(decodeQr(await renderPage(file, 2, dpi))).toBe(cert.code);
});

it("answers NOT_FOUND for someone else's certificate and a code that does not exist, and makes nothing", async () => {
  const [cert] = (await act.ok(act.call(VOLUNTEER, { action: 'certificates' }))).certificates;
  const other = await cloud.call('activity', { action: 'certificatePdf', code: cert.code }, 'someone-else');
  expect(other).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: expect.any(String) } });
  const none = await cloud.call('activity', { action: 'certificatePdf', code: 'ABCDEFGHJKLM' }, VOLUNTEER);
  expect(none).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: expect.any(String) } });
  const bad = await cloud.call('activity', { action: 'certificatePdf', code: 'not a code' }, VOLUNTEER);
  expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
});
