/**
 * Seeded randomness for demo and benchmark data: the same seed gives the same county on every machine,
 * so a demo, a test and a benchmark see the same data.
 */

/** mulberry32: small, fast, and the same sequence on every platform for the same seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A linear congruential generator: the demo people were first drawn with it, and the page tests know
 * who they are (who ranks first for which wish), so they are still drawn with it.
 */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface Rand {
  (): number;
  int(n: number): number;
  between(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
  weighted<T extends string>(weights: Record<T, number>): T;
}

export function rand(seed: number): Rand {
  const next = prng(seed);
  const r = (() => next()) as Rand;
  r.int = (n) => Math.floor(next() * n);
  r.between = (lo, hi) => lo + next() * (hi - lo);
  r.pick = (xs) => xs[Math.floor(next() * xs.length)];
  r.chance = (p) => next() < p;
  r.weighted = (weights) => {
    const entries = Object.entries(weights) as [keyof typeof weights, number][];
    let x = next() * entries.reduce((s, [, w]) => s + w, 0);
    for (const [k, w] of entries) {
      x -= w;
      if (x < 0) return k;
    }
    return entries[entries.length - 1][0];
  };
  return r;
}

export const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';

export const GIVEN_NAMES = [
  '桂英',
  '秀兰',
  '建国',
  '志强',
  '海燕',
  '玉梅',
  '德明',
  '春华',
  '晓东',
  '红霞',
  '国平',
  '立新',
  '美玲',
  '文杰',
  '振华',
  '淑芬',
  '永福',
  '丽娟',
  '小军',
  '金凤',
];

/** A plausible villager's name. */
export const personName = (r: () => number): string =>
  SURNAMES[Math.floor(r() * SURNAMES.length)] + GIVEN_NAMES[Math.floor(r() * GIVEN_NAMES.length)];
