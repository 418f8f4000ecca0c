/**
 * WeChat's built-in <page-meta> as the pages use it. miniprogram-simulate registers every built-in tag
 * as a bare `<slot/>` without properties, so j-component drops the attributes of <page-meta> and the
 * page's `page-style` (the text scale, base/text-scale.ts) is lost. This stand-in declares the
 * attributes WeChat's page-meta has, as a built-in that is not ours: what a page binds to them can be
 * read back (pageMetaOf), and the screens tool puts `page-style` on the drawn page's root, as WeChat does.
 */
interface JComponent {
  register(definition: Record<string, unknown>): string;
}

export function registerPageMeta(): void {
  const jComponent = jest.requireActual<JComponent>('j-component');
  jComponent.register({
    id: 'page-meta',
    tagName: 'wx-page-meta',
    template: '<slot/>',
    properties: {
      pageStyle: { type: String, value: '' },
      rootFontSize: { type: String, value: '' },
      pageFontSize: { type: String, value: '' },
      backgroundColor: { type: String, value: '' },
      backgroundTextStyle: { type: String, value: '' },
    },
  });
}

interface MetaElement {
  __wxElement?: { __propData?: Record<string, unknown> };
}

/** The attributes a rendered <page-meta> element was given ({} for any other node). */
export function pageMetaOf(el: unknown): { pageStyle?: string; rootFontSize?: string; pageFontSize?: string } {
  const data = (el as MetaElement | null)?.__wxElement?.__propData ?? {};
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return { pageStyle: str(data.pageStyle), rootFontSize: str(data.rootFontSize), pageFontSize: str(data.pageFontSize) };
}
