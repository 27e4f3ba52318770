import Handlebars from 'handlebars';

/**
 * Renders a chart template source whose Helm actions (`{{ ... }}`) must reach Helm exactly as written,
 * while the generator's own Handlebars statements are written `[[ ... ]]`.
 *
 * Why not Handlebars' own escapes: `\{{` stops at the first `}}` and breaks on Helm's `{{ "{{" }}`, raw
 * strings and comments. Instead every Helm action is cut out with a scanner that follows Go template
 * lexing (strings, raw strings, comments), replaced by opaque tokens, the remaining text is compiled by
 * Handlebars (no HTML escaping, strict lookups), and the actions are put back verbatim. A generator slot
 * `[[ ... ]]` may sit inside a Helm action (e.g. a component name in a selector); only the slot is
 * rendered, the rest of the action stays byte for byte.
 */

const TOKEN = (n: number) => `\uE000helm${n}\uE001`;
const TOKEN_PATTERN = /\uE000helm(\d+)\uE001/g;

export interface HelmAction {
  start: number;
  end: number;
  text: string;
}

/** Finds the Helm (Go template) actions in a source, in order. Throws on an unterminated one. */
export function findHelmActions(source: string): HelmAction[] {
  const actions: HelmAction[] = [];
  let i = 0;
  while (true) {
    const start = source.indexOf('{{', i);
    if (start < 0) return actions;
    const end = actionEnd(source, start);
    actions.push({ start, end, text: source.slice(start, end) });
    i = end;
  }
}

function actionEnd(source: string, start: number): number {
  let i = start + 2;
  const afterTrim = source.slice(i).match(/^-\s/) ? i + 2 : i;
  if (source.startsWith('/*', afterTrim)) {
    const close = source.indexOf('*/', afterTrim + 2);
    if (close < 0) throw new Error(`unterminated Helm comment at offset ${start}`);
    const tail = source.slice(close + 2).match(/^(\s-)?}}/);
    if (!tail) throw new Error(`a Helm comment must end with */}} (offset ${start})`);
    return close + 2 + tail[0].length;
  }
  while (i < source.length) {
    const c = source[i];
    if (c === '"' || c === "'") {
      i = skipQuoted(source, i, c);
    } else if (c === '`') {
      const close = source.indexOf('`', i + 1);
      if (close < 0) throw new Error(`unterminated raw string in Helm action at offset ${start}`);
      i = close + 1;
    } else if (source.startsWith('}}', i)) {
      return i + 2;
    } else {
      i += 1;
    }
  }
  throw new Error(`unterminated Helm action at offset ${start}: ${source.slice(start, start + 40)}`);
}

function skipQuoted(source: string, open: number, quote: string): number {
  let i = open + 1;
  while (i < source.length) {
    if (source[i] === '\\') i += 2;
    else if (source[i] === quote) return i + 1;
    else if (source[i] === '\n') break;
    else i += 1;
  }
  throw new Error(`unterminated string in Helm action at offset ${open}`);
}

/** Renders one template source with the generator's context. */
export function renderChartTemplate(source: string, context: object, name = 'template'): string {
  const literals: string[] = [];
  const stash = (text: string) => {
    literals.push(text);
    return TOKEN(literals.length - 1);
  };
  let prepared = '';
  let last = 0;
  for (const action of findHelmActions(source)) {
    prepared += source.slice(last, action.start);
    // Inside an action only generator slots stay live; every other character is stashed.
    let inner = 0;
    for (const slot of action.text.matchAll(/\[\[.*?\]\]/g)) {
      prepared += stash(action.text.slice(inner, slot.index)) + slot[0];
      inner = slot.index + slot[0].length;
    }
    prepared += stash(action.text.slice(inner));
    last = action.end;
  }
  prepared += source.slice(last);
  const handlebarsSource = prepared.replaceAll('[[', '{{').replaceAll(']]', '}}');
  let rendered: string;
  try {
    rendered = Handlebars.compile(handlebarsSource, { noEscape: true, strict: true })(context);
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}`);
  }
  const restored = rendered.replace(TOKEN_PATTERN, (_, n: string) => literals[Number(n)]!);
  if (/[\uE000\uE001]/.test(restored))
    throw new Error(`${name}: a Helm action token was damaged while rendering`);
  return restored;
}
