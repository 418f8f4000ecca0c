/**
 * The WeChat open APIs our functions call through `cloud.openapi.*`, answered locally and recorded so
 * tests can assert on them. wx-server-sdk sends `wx.openApi` as a protobuf CommApiData (each parameter a
 * JSON-encoded key/value pair) and expects a protobuf CommOpenApiResp back; the schema below mirrors the
 * one compiled into wx-server-sdk 4.x.
 *
 * The answers follow WeChat's documented behaviour and limits (msgSecCheck v2, wxacode.getUnlimited's
 * scene rules, subscribe message field lengths, single-use phone codes); nothing here talks to WeChat.
 */
import { compactForCheck } from '../typings/text';
import protobuf from 'protobufjs';
import QRCode from 'qrcode';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { LOCAL_APPID } from './functions/pool';

/** The wire format of `wx.openApi` calls, shared with scripts/lib/wxacode.ts (which speaks it as a client). */
export const OPENAPI_PROTO = `
syntax = "proto3";
message KeyValuePair { string key = 1; bytes value = 2; string contenttype = 3; string filename = 4; }
message OpenApiData { repeated KeyValuePair pairs = 1; }
message CommApiData { int32 apiType = 1; OpenApiData openapiData = 2; string appid = 6; }
message CommOpenApiResp { bytes respData = 1; string contentType = 2; int32 errorCode = 3; uint32 httpCode = 4; int32 svrkitErrorCode = 6; }
`;
const root = protobuf.parse(OPENAPI_PROTO).root;
const CommApiData = root.lookupType('CommApiData');
const CommOpenApiResp = root.lookupType('CommOpenApiResp');

export interface OpenApiCall {
  api: string;
  /** The user on whose behalf the calling function ran, if any. */
  caller?: string;
  params: Record<string, unknown>;
  errcode: number;
  at: string;
}

interface Reply {
  json?: Record<string, unknown>;
  binary?: { contentType: string; data: Buffer };
}

/** The secret local phone codes are signed with: this process's own, never written anywhere. */
const PHONE_CODE_SECRET = randomBytes(32);
const phoneCodeSignature = (phone: string, nonce: string) =>
  createHmac('sha256', PHONE_CODE_SECRET).update(`${phone}:${nonce}`).digest('hex').slice(0, 32);

/** Words the local content check treats as risky, so that rejections can be tried and tested. */
export const LOCAL_BLOCKED_WORDS = ['赌博', '诈骗', '色情', '毒品', '法轮', '【违规测试】'];

const SCENE_CHARS = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]*$/;

/** Subscribe message value limits by keyword type (the prefix of the data key, thing1 → thing). */
const FIELD_LIMITS: Record<string, number> = {
  thing: 20,
  number: 32,
  letter: 32,
  symbol: 5,
  character_string: 32,
  phrase: 5,
  name: 10,
  phone_number: 17,
  car_number: 8,
  amount: 32,
  time: 64,
  date: 64,
};

const err = (errcode: number, errmsg: string): Reply => ({ json: { errcode, errmsg } });

export class OpenApi {
  readonly calls: OpenApiCall[] = [];
  private readonly usedPhoneCodes = new Set<string>();
  private readonly credits = new Map<string, number>();
  blockedWords = [...LOCAL_BLOCKED_WORDS, ...(process.env.LOCALCLOUD_BLOCKED_WORDS ?? '').split(',').filter(Boolean)];

  constructor(
    private readonly now: () => number,
    private readonly appPages: () => string[],
  ) {}

  /** Decodes the SDK's request body field `requestData` into plain parameters. */
  static decodeParams(requestData: Buffer): Record<string, unknown> {
    const msg = CommApiData.toObject(CommApiData.decode(requestData), { bytes: Buffer }) as {
      openapiData?: { pairs?: { key: string; value: Buffer }[] };
    };
    const params: Record<string, unknown> = {};
    for (const { key, value } of msg.openapiData?.pairs ?? []) {
      const text = Buffer.from(value).toString('utf8');
      try {
        params[key] = JSON.parse(text);
      } catch {
        params[key] = text;
      }
    }
    return params;
  }

  static encodeReply(reply: Reply): Buffer {
    const payload = reply.binary
      ? { respData: reply.binary.data, contentType: reply.binary.contentType, httpCode: 200 }
      : {
          respData: Buffer.from(JSON.stringify({ errcode: 0, errmsg: 'ok', ...reply.json })),
          contentType: 'application/json; charset=utf-8',
          httpCode: 200,
        };
    return Buffer.from(CommOpenApiResp.encode(CommOpenApiResp.create(payload)).finish());
  }

  /** Grants a user sends of a template, as an accepted wx.requestSubscribeMessage does. */
  grantSubscription(openid: string, templateId: string, count = 1): void {
    const k = `${openid}\u0000${templateId}`;
    this.credits.set(k, (this.credits.get(k) ?? 0) + count);
  }

  /**
   * A phone code like the one `<button open-type="getPhoneNumber">` yields, for local use: signed with a
   * secret of this process, so a code written by hand (local-phone:<any number>:…) is refused.
   */
  static phoneCode(phone: string): string {
    const nonce = randomBytes(4).toString('hex');
    return `local-phone:${phone}:${nonce}:${phoneCodeSignature(phone, nonce)}`;
  }

  async call(api: string, params: Record<string, unknown>, caller?: string): Promise<Reply> {
    const reply = await this.answer(api, params, caller);
    this.calls.push({
      api,
      caller,
      params,
      errcode: Number(reply.json?.errcode ?? 0),
      at: new Date(this.now()).toISOString(),
    });
    return reply;
  }

  private async answer(api: string, p: Record<string, unknown>, caller?: string): Promise<Reply> {
    switch (api) {
      case 'security.msgSecCheck':
        return this.msgSecCheck(p);
      case 'security.mediaCheckAsync':
        if (typeof p.media_url !== 'string' || ![1, 2].includes(Number(p.media_type)))
          return err(47001, 'data format error');
        return { json: { trace_id: `local-${randomBytes(8).toString('hex')}` } };
      case 'wxacode.getUnlimited':
        return this.getUnlimited(p);
      case 'subscribeMessage.send':
        return this.subscribeSend(p);
      case 'phonenumber.getPhoneNumber':
        return this.phoneNumber(p, caller);
      default:
        return err(-604101, `the local cloud does not emulate ${api}`);
    }
  }

  private msgSecCheck(p: Record<string, unknown>): Reply {
    if (Number(p.version) !== 2) return err(47001, 'data format error: version must be 2');
    if (typeof p.openid !== 'string' || !p.openid) return err(40003, 'invalid openid');
    if (![1, 2, 3, 4].includes(Number(p.scene))) return err(47001, 'data format error: scene');
    if (typeof p.content !== 'string') return err(47001, 'data format error: content');
    if (p.content.length > 2500) return err(47001, 'data format error: content is longer than 2500');
    // As WeChat's check would: a word split by spaces, zero-width characters or dots is still the word.
    const compact = compactForCheck(p.content);
    const hit = this.blockedWords.find((w) => compact.includes(compactForCheck(w)));
    const suggest = hit ? 'risky' : 'pass';
    const label = hit ? 20001 : 100;
    return {
      json: {
        result: { suggest, label },
        detail: [{ strategy: 'keyword', errcode: 0, suggest, label, keyword: hit ?? '' }],
        trace_id: `local-${randomBytes(8).toString('hex')}`,
      },
    };
  }

  private async getUnlimited(p: Record<string, unknown>): Promise<Reply> {
    const scene = p.scene;
    if (typeof scene !== 'string' || scene.length === 0 || scene.length > 32 || !SCENE_CHARS.test(scene)) {
      return err(40169, 'invalid length for scene, or the data is not json string');
    }
    const page = p.page;
    if (page !== undefined) {
      if (typeof page !== 'string' || page.startsWith('/') || page.includes('?')) return err(41030, 'invalid page rid');
      if (p.check_path !== false && !this.appPages().includes(page)) return err(41030, 'invalid page rid');
    }
    const width = Math.min(Math.max(Number(p.width ?? 430), 280), 1280);
    const data = await QRCode.toBuffer(
      `wxacode://local?page=${String(page ?? '')}&scene=${encodeURIComponent(scene)}`,
      {
        type: 'png',
        width,
        margin: 2,
      },
    );
    return { binary: { contentType: 'image/png', data } };
  }

  private subscribeSend(p: Record<string, unknown>): Reply {
    if (typeof p.touser !== 'string' || !p.touser) return err(40003, 'invalid openid');
    if (typeof p.template_id !== 'string' || !p.template_id) return err(40037, 'invalid template_id');
    if (p.page !== undefined && (typeof p.page !== 'string' || p.page.startsWith('/')))
      return err(41030, 'invalid page');
    const data = p.data as Record<string, { value?: unknown }> | undefined;
    if (!data || typeof data !== 'object') return err(47003, 'argument invalid! data is empty');
    for (const [key, field] of Object.entries(data)) {
      const kind = key.replace(/\d+$/, '');
      const value = field?.value;
      if (typeof value !== 'string' && typeof value !== 'number')
        return err(47003, `argument invalid! data.${key}.value is empty`);
      const limit = FIELD_LIMITS[kind];
      if (limit !== undefined && String(value).length > limit) {
        return err(47003, `argument invalid! data.${key}.value exceeds ${limit} characters`);
      }
    }
    const k = `${p.touser}\u0000${p.template_id}`;
    const left = this.credits.get(k) ?? 0;
    if (left <= 0) return err(43101, 'user refuse to accept the msg');
    this.credits.set(k, left - 1);
    return { json: { msgid: Number(randomBytes(4).readUInt32BE(0)) } };
  }

  private phoneNumber(p: Record<string, unknown>, caller?: string): Reply {
    const code = p.code;
    const m = typeof code === 'string' ? /^local-phone:(1\d{10}):([0-9a-f]{8}):([0-9a-f]{32})$/.exec(code) : null;
    const signed = !!m && timingSafeEqual(Buffer.from(m[3]), Buffer.from(phoneCodeSignature(m[1], m[2])));
    if (!m || !signed || this.usedPhoneCodes.has(code as string)) return err(40029, 'invalid code');
    this.usedPhoneCodes.add(code as string);
    const phone = m[1];
    return {
      json: {
        phone_info: {
          phoneNumber: phone,
          purePhoneNumber: phone,
          countryCode: '86',
          watermark: { timestamp: Math.floor(this.now() / 1000), appid: caller ? 'wxlocal' : '' },
        },
      },
    };
  }
}

// ── Pushes: WeChat's message push (消息推送) to a cloud function, delivered locally ─────────────

export interface PushRecord {
  id: number;
  /** The function the push is configured to (in the cloud console's 消息推送). */
  function: string;
  event: Record<string, unknown>;
  scheduledAt: string;
  deliveredAt: string | null;
  status: 'scheduled' | 'delivered' | 'failed' | 'no function';
  /** What the function answered, or why the delivery failed. */
  result?: unknown;
  error?: string;
}

type Invoke = (fn: string, event: unknown) => Promise<{ ok: boolean; result?: unknown; error?: string }>;

/**
 * Delivers the pushes WeChat would send: after security.mediaCheckAsync answers a trace_id, the
 * verdict (event wxa_media_check) goes to the `mediacheck` function a moment later, as the platform
 * (no caller identity). The verdict is risky when the media URL contains "risky" (so tests and demos
 * can choose), else pass. Each push is recorded (GET /_admin/pushes).
 */
export class PushDelivery {
  readonly pushes: PushRecord[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private seq = 0;

  constructor(
    private readonly now: () => number,
    private readonly invoke: Invoke,
    private readonly exists: (fn: string) => boolean,
    readonly delayMs = Number(process.env.LOCALCLOUD_PUSH_DELAY_MS ?? 300),
  ) {}

  /** Called with every open API call and its reply; schedules the push that call leads to, if any. */
  afterOpenApi(api: string, params: Record<string, unknown>, reply: Reply): void {
    if (api !== 'security.mediaCheckAsync') return;
    const traceId = reply.json?.trace_id;
    if (typeof traceId !== 'string') return;
    const suggest = String(params.media_url ?? '').includes('risky') ? 'risky' : 'pass';
    const label = suggest === 'risky' ? '20002' : '100';
    this.schedule('mediacheck', {
      ToUserName: 'gh_localcloud',
      FromUserName: typeof params.openid === 'string' ? params.openid : '',
      CreateTime: Math.floor(this.now() / 1000),
      MsgType: 'event',
      Event: 'wxa_media_check',
      appid: LOCAL_APPID,
      trace_id: traceId,
      version: 2,
      result: { suggest, label },
      detail: [{ strategy: 'content_model', errcode: 0, suggest, label, prob: 90 }],
    });
  }

  schedule(fn: string, event: Record<string, unknown>): PushRecord {
    const record: PushRecord = {
      id: (this.seq += 1),
      function: fn,
      event,
      scheduledAt: new Date(this.now()).toISOString(),
      deliveredAt: null,
      status: 'scheduled',
    };
    this.pushes.push(record);
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        const p = this.deliver(record).finally(() => this.inFlight.delete(p));
        this.inFlight.add(p);
      },
      Math.max(0, this.delayMs),
    );
    this.timers.add(timer);
    return record;
  }

  private async deliver(record: PushRecord): Promise<void> {
    record.deliveredAt = new Date(this.now()).toISOString();
    if (!this.exists(record.function)) {
      record.status = 'no function';
      return;
    }
    try {
      const r = await this.invoke(record.function, record.event);
      record.status = r.ok ? 'delivered' : 'failed';
      if (r.ok) record.result = r.result;
      else record.error = r.error;
    } catch (e) {
      record.status = 'failed';
      record.error = (e as Error).message;
    }
  }

  /** Drops the pushes not yet sent and waits for those being delivered. */
  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.all([...this.inFlight]);
  }
}
