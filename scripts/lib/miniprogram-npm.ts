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
 * from that component's usingComponents, and packing fails unless every place its template draws the tag
 * (itself, or through a <template is> or <include> of a file that draws it) lies under a wx:if, so the
 * prune cannot remove something that is drawn unconditionally; and it fails if one of our templates sets
 * a property of that component that would draw it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { listFiles } from './miniprogram';

export interface PackOptions {
  /** The mini-program's root (holds package.json and the pages). */
  root: string;
  /** Where a dependency is installed: its folder. Default: resolved from the project's node_modules. */
  packageDir?: (name: string) => string;
  /** What is pruned from which library component. Default: PRUNED. */
  pruned?: Record<string, Record<string, Prune>>;
}

export interface PackResult {
  /** The written files, relative to the mini-program root, sorted. */
  files: string[];
  bytes: number;
}

/** A tag pruned from a library component: why our pages never draw it, and what would draw it. */
export interface Prune {
  why: string;
  /** The library component's properties (as WXML attributes) that draw the tag: none of our templates may set them. */
  drawnWith: string[];
}

const ICON_COST = 'icon.wxss is 112 KB and loads its font from tdesign.gtimg.com';

/** Library component → tag → why it is never drawn by our pages. */
export const PRUNED: Record<string, Record<string, Prune>> = {
  'tdesign-miniprogram/popup/popup': {
    't-icon': {
      why: `drawn only for close-btn, which the privacy sheet does not set; ${ICON_COST}`,
      drawnWith: ['close-btn'],
    },
  },
  'tdesign-miniprogram/grid-item/grid-item': {
    // All three sit inside <t-badge wx:if="{{image || icon}}">; the category picker draws its own tiles in the slot.
    't-badge': { why: 'wraps the image or icon, drawn only when one is set', drawnWith: ['image', 'icon'] },
    't-image': {
      why: 'drawn (common/template/image.wxml) only for image; it brings t-loading and t-icon',
      drawnWith: ['image'],
    },
    't-icon': { why: `drawn (common/template/icon.wxml) only for icon; ${ICON_COST}`, drawnWith: ['icon'] },
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

/** The mini-program's own JSON files (miniprogram_npm aside) with their usingComponents. */
function ownComponentJsons(root: string): { file: string; using: Record<string, string> }[] {
  return listFiles(root, '.json')
    .filter((rel) => !rel.startsWith(`${NPM_DIR}/`) && path.basename(rel) !== 'package.json')
    .map((rel) => {
      const file = path.join(root, rel);
      return { file, using: readJson<{ usingComponents?: Record<string, string> }>(file).usingComponents ?? {} };
    });
}

/** Every usingComponents value of the mini-program's own JSON files (miniprogram_npm aside). */
export function npmComponentsUsed(root: string): string[] {
  const found = new Set<string>();
  for (const { using } of ownComponentJsons(root))
    for (const spec of Object.values(using)) if (isBare(spec)) found.add(spec);
  return [...found].sort();
}

const TAG = /<(\/?)([a-zA-Z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;
const CONDITIONAL = /\swx:(?:if|elif|else)\b/;
const TEMPLATE_DEF = /<template\s(?:[^>"']|"[^"]*"|'[^']*')*?\bname=["']([^"']+)["'][^>]*>([\s\S]*?)<\/template>/g;
const attr = (attrs: string, name: string) => new RegExp(`\\s${name}=["']([^"']*)["']`).exec(attrs)?.[1];
const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * How a template draws `tag`: the places, outside any wx:if/elif/else (on the element or an ancestor), where
 * it opens <tag>, calls a template that draws it, or includes a file that does. `drawing` names the templates
 * that draw it; `includes` answers whether an included file does.
 */
function unguarded(text: string, tag: string, drawing: Set<string>, includes: (src: string) => boolean): string[] {
  const body = text
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/(<wxs\b[^>]*>)[\s\S]*?<\/wxs>/g, '$1</wxs>')
    .replace(TEMPLATE_DEF, '');
  const open: { name: string; conditional: boolean }[] = [];
  const found: string[] = [];
  for (const [whole, closing, name, attrs, selfClosing] of body.matchAll(TAG)) {
    if (closing) {
      const at = open.map((o) => o.name).lastIndexOf(name);
      if (at >= 0) open.length = at;
      continue;
    }
    const conditional = CONDITIONAL.test(attrs) || open.some((o) => o.conditional);
    const is = name === 'template' ? attr(attrs, 'is') : undefined;
    const src = name === 'include' ? attr(attrs, 'src') : undefined;
    const draws = name === tag || (is !== undefined && drawing.has(is)) || (src !== undefined && includes(src));
    if (draws && !conditional) found.push(whole);
    if (!selfClosing && name !== 'import' && name !== 'include') open.push({ name, conditional });
  }
  return found;
}

/** The templates defined in `texts` that draw `tag`, directly or through another. */
function templatesDrawing(texts: string[], tag: string): Set<string> {
  const defs = new Map<string, string>();
  for (const t of texts) for (const m of t.matchAll(TEMPLATE_DEF)) defs.set(m[1], m[2]);
  const drawing = new Set<string>();
  for (let grew = true; grew;) {
    grew = false;
    for (const [name, body] of defs) {
      if (drawing.has(name)) continue;
      const calls = [...body.matchAll(/<template\s[^>]*\bis=["']([^"']+)["']/g)].map((m) => m[1]);
      if (new RegExp(`<${tag}(?=[\\s/>])`).test(body) || calls.some((c) => drawing.has(c))) {
        drawing.add(name);
        grew = true;
      }
    }
  }
  return drawing;
}

/** Fails if one of our templates sets, on a library component, a property that draws a tag pruned from it. */
function checkPrunedUnused(root: string, prunes: Record<string, Record<string, Prune>>): void {
  for (const { file, using } of ownComponentJsons(root)) {
    const wxml = file.replace(/\.json$/, '.wxml');
    if (!fs.existsSync(wxml)) continue;
    const text = fs.readFileSync(wxml, 'utf8');
    for (const [tag, spec] of Object.entries(using)) {
      for (const [pruned, { drawnWith }] of Object.entries(prunes[spec] ?? {})) {
        for (const m of text.matchAll(new RegExp(`<${tag}(?=[\\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)>`, 'g'))) {
          const set = drawnWith.find((p) =>
            new RegExp(`\\s(?:${kebab(p)}|${p.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())})=`).test(m[1]),
          );
          if (set)
            throw new Error(
              `${path.relative(root, wxml)} sets ${set} on <${tag}>, which draws <${pruned}>, pruned from ${spec}: ` +
                'drop the attribute or the prune (PRUNED in scripts/lib/miniprogram-npm.ts)',
            );
        }
      }
    }
  }
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
  const prunes = options.pruned ?? PRUNED;
  checkPrunedUnused(root, prunes);
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
  const visitFile = (name: string, dist: string, file: string, pruned: Record<string, Prune>): void => {
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
      const imported = [...text.matchAll(/<(?:import|include)[^>]*\ssrc=['"]([^'"]+)['"]/g)].map((m) => {
        const base = m[1].startsWith('/') ? path.join(dist, m[1]) : path.resolve(path.dirname(file), m[1]);
        const target = fs.existsSync(base) ? base : `${base}.wxml`;
        return { src: m[1], text: fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '' };
      });
      for (const tag of Object.keys(pruned)) {
        const drawing = templatesDrawing([text, ...imported.map((i) => i.text)], tag);
        const includes = (src: string) =>
          imported.some((i) => i.src === src && unguarded(i.text, tag, drawing, () => false).length > 0);
        if (unguarded(text, tag, drawing, includes).length > 0)
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
    const pruned = prunes[spec] ?? {};
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
