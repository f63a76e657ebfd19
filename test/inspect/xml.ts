/**
 * A small XML well-formedness check for the SVG the inspector writes: balanced tags, quoted and
 * unique attributes, only the five predefined or numeric entities, no raw `<` or `&` in text.
 * Returns the elements with their attributes, so tests can count and inspect them.
 */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly parent?: XmlElement;
}

const NAME = /^[A-Za-z_][\w.:-]*/;
const ENTITY = /^&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;

function checkText(text: string, where: number): void {
  for (let i = text.indexOf("&"); i >= 0; i = text.indexOf("&", i + 1)) {
    if (!ENTITY.test(text.slice(i))) throw new Error(`bad entity at ${where + i}: ${text.slice(i, i + 12)}`);
  }
  if (text.includes("<")) throw new Error(`raw '<' at ${where + text.indexOf("<")}`);
}

export function parseXml(xml: string): XmlElement[] {
  const elements: XmlElement[] = [];
  const stack: XmlElement[] = [];
  let i = 0;
  let rootSeen = false;
  if (xml.startsWith("<?xml")) i = xml.indexOf("?>") + 2;
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    checkText(text, i);
    if (!stack.length && text.trim()) throw new Error(`text outside the root element at ${i}`);
    if (lt < 0) break;
    if (xml.startsWith("<!--", lt)) {
      const end = xml.indexOf("-->", lt);
      if (end < 0) throw new Error(`unclosed comment at ${lt}`);
      i = end + 3;
      continue;
    }
    if (xml[lt + 1] === "/") {
      const m = NAME.exec(xml.slice(lt + 2));
      const open = stack.pop();
      if (!m || !open || open.name !== m[0]) throw new Error(`mismatched </${m?.[0]}> at ${lt} (open: ${open?.name})`);
      const gt = lt + 2 + m[0].length;
      if (!/^\s*>/.test(xml.slice(gt))) throw new Error(`bad end tag at ${lt}`);
      i = xml.indexOf(">", gt) + 1;
      continue;
    }
    const m = NAME.exec(xml.slice(lt + 1));
    if (!m) throw new Error(`bad tag at ${lt}`);
    if (!stack.length && rootSeen) throw new Error(`second root element at ${lt}`);
    rootSeen = true;
    let j = lt + 1 + m[0].length;
    const attrs: Record<string, string> = {};
    for (;;) {
      const rest = xml.slice(j);
      const ws = /^\s*/.exec(rest)![0].length;
      j += ws;
      if (xml.startsWith("/>", j) || xml[j] === ">") break;
      if (!ws) throw new Error(`attributes must be separated by spaces at ${j}`);
      const a = /^([A-Za-z_][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(xml.slice(j));
      if (!a) throw new Error(`bad attribute at ${j}: ${xml.slice(j, j + 20)}`);
      if (a[1] in attrs) throw new Error(`duplicate attribute ${a[1]} at ${j}`);
      const value = a[3] ?? a[4];
      checkText(value, j);
      attrs[a[1]] = value;
      j += a[0].length;
    }
    const el: XmlElement = { name: m[0], attrs, ...(stack.length ? { parent: stack[stack.length - 1] } : {}) };
    elements.push(el);
    if (xml[j] === ">") {
      stack.push(el);
      i = j + 1;
    } else i = j + 2;
  }
  if (stack.length) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (!rootSeen) throw new Error("no root element");
  return elements;
}

/** Decoded text of the five predefined entities (enough for the inspector's output). */
export function unescapeXml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" })[e]!);
}
