/**
 * Packs the mini-program's npm dependencies (miniprogram/package.json) into miniprogram/miniprogram_npm,
 * in the layout DevTools' 工具 → 构建 npm gives (miniprogram_npm/<package>/<file> from the package's
 * `miniprogram` folder; a plain package as miniprogram_npm/<package>/index.js), but with only the library
 * components our JSON files name in usingComponents and what those reference (their own usingComponents,
 * JS imports, @import in WXSS, <wxs>/<import>/<include> in WXML). 构建 npm copies a whole library
 * (tdesign-miniprogram: 5.6 MB) and leaves the trimming to the upload; packing the closure here keeps the
 * size check, WeChat's compilers, the page tests and the screens on what actually ships.
 *
 * PRUNED lists components a library component declares but our use of it never draws. They are dropped
 * from that component's usingComponents, and packing fails unless every use of the tag in its template
 * is behind a wx:if, so the prune cannot remove something that is drawn unconditionally.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface PackOptions {
  /** The mini-program's root (holds package.json and the pages). */
  root: string;
  /** Where a dependency is installed: its folder. Default: resolved from the project's node_modules. */
  packageDir?: (name: string) => string;
}

export interface PackResult {
  /** The written files, relative to the mini-program root, sorted. */
  files: string[];
  bytes: number;
}

/** Library component → tag → why it is never drawn by our pages. */
export const PRUNED: Record<string, Record<string, string>> = {
  'tdesign-miniprogram/popup/popup': {
    't-icon':
      'drawn only for close-btn, which the privacy sheet does not set; icon.wxss is 112 KB and loads its font from tdesign.gtimg.com',
  },
};

const NPM_DIR = 'miniprogram_npm';

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

/** "@vant/weapp/popup/index" → ["@vant/weapp", "popup/index"]; "tdesign-miniprogram/popup/popup" → [...]. */
function splitSpecifier(spec: string): [string, string] {
  const parts = spec.split('/');
  const n = spec.startsWith('@') ? 2 : 1;
  return [parts.slice(0, n).join('/'), parts.slice(n).join('/')];
}

const isBare = (spec: string) => !spec.startsWith('.') && !spec.startsWith('/') && !spec.startsWith('plugin://');

/** Every usingComponents value of the mini-program's own JSON files (miniprogram_npm aside). */
export function npmComponentsUsed(root: string): string[] {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === NPM_DIR || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.json') && entry.name !== 'package.json') {
        const json = readJson<{ usingComponents?: Record<string, string> }>(full);
        for (const spec of Object.values(json.usingComponents ?? {})) if (isBare(spec)) found.add(spec);
      }
    }
  };
  walk(root);
  return [...found].sort();
}

function defaultPackageDir(name: string): string {
  try {
    return path.dirname(require.resolve(`${name}/package.json`, { paths: [path.resolve(__dirname, '..', '..')] }));
  } catch {
    throw new Error(`${name} (miniprogram/package.json) is not in node_modules: run npm install`);
  }
}

/** Packs the closure of every npm component used; answers what was written. */
export function packNpm(options: PackOptions): PackResult {
  const { root } = options;
  const packageDir = options.packageDir ?? defaultPackageDir;
  const deps = readJson<{ dependencies?: Record<string, string> }>(path.join(root, 'package.json')).dependencies ?? {};
  const out = path.join(root, NPM_DIR);
  const written = new Map<string, string>(); // destination (relative to root) → content

  const distOf = (name: string): string => {
    const dir = packageDir(name);
    const pkg = readJson<{ miniprogram?: string }>(path.join(dir, 'package.json'));
    return path.join(dir, pkg.miniprogram ?? 'miniprogram_dist');
  };

  /** A package without a mini-program build (tslib): its main file as index.js, if it stands alone. */
  const packPlain = (name: string, from: string): void => {
    if (!(name in deps)) throw new Error(`${from} imports ${name}: add it to miniprogram/package.json dependencies`);
    const dir = packageDir(name);
    const main = readJson<{ main?: string }>(path.join(dir, 'package.json')).main ?? 'index.js';
    const file = path.join(dir, main.endsWith('.js') ? main : `${main}.js`);
    const text = fs.readFileSync(file, 'utf8');
    if (/require\(\s*['"]\.{1,2}\//.test(text)) throw new Error(`${name}: its main file requires others; not packed`);
    written.set(`${NPM_DIR}/${name}/index.js`, text);
  };

  const seen = new Set<string>();
  const visitFile = (name: string, dist: string, file: string, pruned: Record<string, string>): void => {
    if (seen.has(file)) return;
    seen.add(file);
    let text = fs.readFileSync(file, 'utf8');
    const ext = path.extname(file);
    const refs: string[] = [];
    const local = (ref: string, exts: string[]): void => {
      const base = ref.startsWith('/') ? path.join(dist, ref) : path.resolve(path.dirname(file), ref);
      const hit = [base, ...exts.map((e) => base + e), ...exts.map((e) => path.join(base, `index${e}`))].find(
        (c) => fs.existsSync(c) && fs.statSync(c).isFile(),
      );
      if (!hit) throw new Error(`${path.relative(dist, file)} references ${ref}, which ${name} does not ship`);
      refs.push(hit);
    };
    if (ext === '.js' || ext === '.wxs') {
      for (const m of text.matchAll(/(?:require\(\s*|\bfrom\s*|\bimport\s*)['"]([^'"]+)['"]/g)) {
        if (isBare(m[1])) packPlain(splitSpecifier(m[1])[0], path.relative(dist, file));
        else local(m[1], ['.js', '.wxs']);
      }
    } else if (ext === '.wxss') {
      for (const m of text.matchAll(/@import\s+['"]([^'"]+)['"]/g)) local(m[1], ['.wxss']);
    } else if (ext === '.wxml') {
      for (const m of text.matchAll(/<(?:wxs|import|include)[^>]*\ssrc=['"]([^'"]+)['"]/g))
        local(m[1], ['.wxs', '.wxml']);
      for (const tag of Object.keys(pruned)) {
        const unguarded = [...text.matchAll(new RegExp(`<${tag}\\b[^>]*>`, 'g'))].filter((m) => !/\swx:if=/.test(m[0]));
        if (unguarded.length > 0)
          throw new Error(`${path.relative(dist, file)} draws <${tag}> unconditionally: not prunable`);
      }
    } else if (ext === '.json') {
      const json = readJson<{ usingComponents?: Record<string, string> }>(file);
      const using = { ...(json.usingComponents ?? {}) };
      for (const tag of Object.keys(pruned)) delete using[tag];
      json.usingComponents = using;
      text = JSON.stringify(json);
      for (const ref of Object.values(using)) {
        if (isBare(ref))
          throw new Error(`${path.relative(dist, file)} uses ${ref} from another package: not supported`);
        visitComponent(name, dist, path.resolve(path.dirname(file), ref));
      }
    }
    written.set(`${NPM_DIR}/${name}/${path.relative(dist, file).split(path.sep).join('/')}`, text);
    for (const r of refs) visitFile(name, dist, r, {});
  };

  const visitComponent = (name: string, dist: string, base: string): void => {
    const spec = `${name}/${path.relative(dist, base).split(path.sep).join('/')}`;
    if (!fs.existsSync(`${base}.json`)) throw new Error(`${spec} is not a component of ${name}`);
    const pruned = PRUNED[spec] ?? {};
    for (const ext of ['.json', '.js', '.wxml', '.wxss']) {
      if (fs.existsSync(base + ext))
        visitFile(name, dist, base + ext, ext === '.json' || ext === '.wxml' ? pruned : {});
    }
  };

  for (const spec of npmComponentsUsed(root)) {
    const [name, sub] = splitSpecifier(spec);
    if (!(name in deps)) throw new Error(`usingComponents names ${spec}: add ${name} to miniprogram/package.json`);
    const dist = distOf(name);
    visitComponent(name, dist, path.join(dist, sub));
  }

  fs.rmSync(out, { recursive: true, force: true });
  let bytes = 0;
  for (const [rel, text] of written) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
    bytes += Buffer.byteLength(text);
  }
  return { files: [...written.keys()].sort(), bytes };
}
