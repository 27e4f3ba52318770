/**
 * Documents as plain sentences before chunking: Markdown and HTML markup says nothing about what is
 * proprietary, and a table chunked raw is a run of pipes no prompt resembles. Table rows become sentences
 * ("Model: Skarv-7; List price: 11.4 million NOK."), headings start sections (the question generator works
 * per section), lists become one sentence per item.
 */
import { Lexer, type Token, type Tokens } from 'marked';

export type DocumentFormat = 'text/plain' | 'text/markdown' | 'text/html' | 'application/pdf';

export interface Section {
  /** The heading path, e.g. "Price list > Discounts"; '' before the first heading. */
  title: string;
  /** Plain text: paragraphs separated by blank lines, each table row or list item its own sentence. */
  text: string;
}

/** The format a file name claims (what the console's upload accepts); plain text for anything else. */
export function formatFromName(name: string): DocumentFormat {
  const ext = name.toLowerCase().match(/\.([a-z]+)$/)?.[1] ?? '';
  if (ext === 'md' || ext === 'markdown') return 'text/markdown';
  if (ext === 'html' || ext === 'htm') return 'text/html';
  if (ext === 'pdf') return 'application/pdf';
  return 'text/plain';
}

const sentenceEnd = (s: string) => (/[.!?:;]$/.test(s) ? s : `${s}.`);
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** One table row as a sentence: "Header: cell; Header: cell." (cells without a header stand alone). */
export function tableRowSentence(headers: string[], cells: string[]): string {
  const parts = cells
    .map((cell, i) => {
      const value = squash(cell);
      if (value === '' || value === '-') return '';
      const header = squash(headers[i] ?? '');
      return header && header.toLowerCase() !== value.toLowerCase() ? `${header}: ${value}` : value;
    })
    .filter((p) => p !== '');
  return parts.length === 0 ? '' : sentenceEnd(parts.join('; '));
}

function inlineText(tokens: Token[] | undefined, fallback: string): string {
  if (!tokens) return fallback;
  return tokens
    .map((t) => {
      if (t.type === 'br') return ' ';
      if (t.type === 'image') return (t as Tokens.Image).text;
      if ('tokens' in t && t.tokens) return inlineText(t.tokens, (t as { text?: string }).text ?? '');
      return (t as { text?: string }).text ?? '';
    })
    .join('');
}

function decodeEntities(text: string): string {
  return text
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');
}

function blockText(token: Token): string[] {
  switch (token.type) {
    case 'paragraph':
    case 'text':
      return [squash(decodeEntities(inlineText((token as Tokens.Paragraph).tokens, token.raw)))];
    case 'list':
      return (token as Tokens.List).items.flatMap((item) =>
        item.tokens.flatMap(blockText).map((s) => sentenceEnd(s)),
      );
    case 'table': {
      const table = token as Tokens.Table;
      const headers = table.header.map((h) => decodeEntities(inlineText(h.tokens, h.text)));
      return table.rows
        .map((row) =>
          tableRowSentence(
            headers,
            row.map((c) => decodeEntities(inlineText(c.tokens, c.text))),
          ),
        )
        .filter((s) => s !== '');
    }
    case 'blockquote':
      return (token as Tokens.Blockquote).tokens.flatMap(blockText);
    case 'code':
      return [(token as Tokens.Code).text];
    case 'html':
      return [squash(htmlToText((token as Tokens.HTML).text))];
    default:
      return [];
  }
}

/** Markdown as sections of plain text. */
export function markdownSections(markdown: string): Section[] {
  const sections: Section[] = [];
  const path: string[] = [];
  let current: string[] = [];
  const flush = () => {
    const text = current.filter((s) => s !== '').join('\n\n');
    if (text !== '') sections.push({ title: path.filter(Boolean).join(' > '), text });
    current = [];
  };
  for (const token of new Lexer().lex(markdown.replace(/\r\n?/g, '\n'))) {
    if (token.type === 'heading') {
      flush();
      const heading = token as Tokens.Heading;
      path.length = Math.max(0, heading.depth - 1);
      path[heading.depth - 1] = squash(decodeEntities(inlineText(heading.tokens, heading.text)));
      continue;
    }
    current.push(...blockText(token));
  }
  flush();
  return sections;
}

/**
 * HTML to Markdown-shaped text (headings as #, rows as | cells |, list items as -), so one path turns both
 * into sections. A regular-expression pass is enough here: the input is the organisation's own pages, the
 * output is only ever embedded, never rendered.
 */
function htmlToMarkdown(html: string): string {
  const cell = (s: string) => squash(htmlToText(s)).replace(/\|/g, '/');
  let out = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|noscript|template|head)\b[\s\S]*?<\/\1>/gi, '');
  out = out.replace(/<table\b[\s\S]*?<\/table>/gi, (table) => {
    const rows = [...table.matchAll(/<tr\b[\s\S]*?<\/tr>/gi)].map((m) =>
      [...m[0].matchAll(/<(t[hd])\b[^>]*>([\s\S]*?)<\/t[hd]>/gi)].map((c) => ({
        head: c[1]!.toLowerCase() === 'th',
        text: cell(c[2]!),
      })),
    );
    if (rows.length === 0) return '';
    const first = rows[0]!;
    const hasHeader = first.every((c) => c.head);
    const header = hasHeader ? first.map((c) => c.text) : first.map(() => '');
    const body = hasHeader ? rows.slice(1) : rows;
    return `\n\n| ${header.join(' | ')} |\n| ${header.map(() => '---').join(' | ')} |\n${body
      .map((r) => `| ${r.map((c) => c.text).join(' | ')} |`)
      .join('\n')}\n\n`;
  });
  out = out
    .replace(
      /<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1>/gi,
      (_, level, text) => `\n\n${'#'.repeat(Number(level))} ${squash(htmlToText(text))}\n\n`,
    )
    .replace(/<li\b[^>]*>([\s\S]*?)<\/li>/gi, (_, text) => `\n- ${squash(htmlToText(text))}\n`)
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|section|article|ul|ol|blockquote|pre|header|footer|main|nav)>/gi, '\n\n');
  return htmlToText(out);
}

/** Tags dropped, entities decoded, line structure kept. */
function htmlToText(html: string): string {
  return decodeEntities(html.replace(/<[^>]+>/g, ''));
}

/** A document as sections of plain text, by its format. Plain text and PDF text have one untitled section. */
export function documentSections(text: string, format: DocumentFormat): Section[] {
  if (format === 'text/markdown') return markdownSections(text);
  if (format === 'text/html') return markdownSections(htmlToMarkdown(text));
  const plain = text.replace(/\r\n?/g, '\n').trim();
  return plain === '' ? [] : [{ title: '', text: plain }];
}

/** The whole document as plain text (sections joined, each under its title). */
export function documentPlainText(text: string, format: DocumentFormat): string {
  return documentSections(text, format)
    .map((s) => s.text)
    .join('\n\n');
}
