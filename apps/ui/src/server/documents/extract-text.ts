import type { DocumentMeta } from '@split-brain/store';
import { extractText, getDocumentProxy } from 'unpdf';

export type DocumentType = DocumentMeta['mediaType'];

export class UnsupportedDocument extends Error {
  constructor(
    readonly status: 413 | 415 | 422,
    message: string,
  ) {
    super(message);
    this.name = 'UnsupportedDocument';
  }
}

const BY_EXTENSION: Record<string, DocumentType> = {
  txt: 'text/plain',
  text: 'text/plain',
  md: 'text/markdown',
  markdown: 'text/markdown',
  html: 'text/html',
  htm: 'text/html',
  pdf: 'application/pdf',
};

export const SUPPORTED_EXTENSIONS = Object.keys(BY_EXTENSION);

/** The type a file claims by its name; refused when the name says nothing we can read. */
export function claimedType(name: string): DocumentType {
  const ext = name.toLowerCase().match(/\.([a-z]+)$/)?.[1] ?? '';
  const type = BY_EXTENSION[ext];
  if (!type) {
    throw new UnsupportedDocument(
      415,
      `${name}: unsupported file type; upload ${SUPPORTED_EXTENSIONS.map((e) => `.${e}`).join(', ')}`,
    );
  }
  return type;
}

/**
 * Checks that the bytes are what the name claims, then extracts the text: PDFs through unpdf (pdf.js),
 * HTML through Bun's HTMLRewriter (scripts and styles dropped), text and Markdown as UTF-8.
 */
export async function extractDocumentText(
  name: string,
  bytes: Uint8Array,
): Promise<{ type: DocumentType; text: string }> {
  const type = claimedType(name);
  const isPdf = startsWith(bytes, '%PDF-');
  if (type === 'application/pdf') {
    if (!isPdf)
      throw new UnsupportedDocument(415, `${name} is named as a PDF but is not one (no %PDF- header)`);
    return { type, text: normalise(await pdfText(name, bytes)) };
  }
  if (isPdf)
    throw new UnsupportedDocument(415, `${name} is named as text but holds a PDF; rename it to .pdf`);
  const decoded = decodeUtf8(bytes);
  if (decoded === undefined || decoded.includes('\u0000')) {
    throw new UnsupportedDocument(415, `${name} is named as text but holds binary data (not UTF-8 text)`);
  }
  if (type === 'text/html') {
    if (!/<[a-z!/][^>]*>/i.test(decoded)) {
      throw new UnsupportedDocument(415, `${name} is named as HTML but holds no HTML markup`);
    }
    return { type, text: normalise(await htmlText(decoded)) };
  }
  return { type, text: normalise(decoded) };
}

function startsWith(bytes: Uint8Array, prefix: string): boolean {
  // PDF readers allow up to 1 KiB of junk before the header; we look at the first 1 KiB too.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  return head.trimStart().startsWith(prefix) || head.includes(`\n${prefix}`);
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

async function pdfText(name: string, bytes: Uint8Array): Promise<string> {
  try {
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true });
    return text;
  } catch (error) {
    throw new UnsupportedDocument(
      422,
      `${name}: the PDF could not be read (${error instanceof Error ? error.message.slice(0, 120) : 'unknown error'})`,
    );
  }
}

async function htmlText(html: string): Promise<string> {
  const parts: string[] = [];
  let skipping = 0;
  const rewriter = new HTMLRewriter()
    .on('script, style, noscript, template, svg', {
      element(el) {
        skipping++;
        el.onEndTag(() => {
          skipping--;
        });
      },
    })
    .on('p, div, br, li, h1, h2, h3, h4, h5, h6, tr, section, article, pre, blockquote', {
      element(el) {
        parts.push('\n');
        el.onEndTag?.(() => {
          parts.push('\n');
        });
      },
    })
    .onDocument({
      text(chunk) {
        if (skipping === 0) parts.push(chunk.text);
      },
    });
  await rewriter.transform(new Response(html)).text();
  return decodeEntities(parts.join(''));
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1]?.toLowerCase() === 'x' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Collapses runs of blank space but keeps paragraph breaks, which the chunker uses. */
function normalise(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
