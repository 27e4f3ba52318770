import { describe, expect, test } from 'bun:test';
import { minimalPdf } from '../testing/minimal-pdf.ts';
import { extractDocumentText, UnsupportedDocument } from './extract-text.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('document text extraction', () => {
  test('PDF text comes out through unpdf', async () => {
    const { type, text } = await extractDocumentText(
      'handbook.pdf',
      minimalPdf(['Project Bluefin pricing model', 'Internal only (do not share)']),
    );
    expect(type).toBe('application/pdf');
    expect(text).toContain('Project Bluefin pricing model');
    expect(text).toContain('Internal only (do not share)');
  });

  test('HTML loses its tags, scripts and styles; entities are decoded', async () => {
    const { text } = await extractDocumentText(
      'page.HTML',
      bytes(
        '<!doctype html><html><head><style>p{color:red}</style><script>var secret = 1;</script></head>' +
          '<body><h1>Roadmap &amp; plans</h1><p>Codename&nbsp;<b>Kestrel</b> ships &#8220;Q3&#8221;</p></body></html>',
      ),
    );
    expect(text).toBe('Roadmap & plans\n\nCodename Kestrel ships “Q3”');
  });

  test('Markdown and plain text are kept as UTF-8 text', async () => {
    expect((await extractDocumentText('notes.md', bytes('# Title\r\n\r\n\r\n\r\nBody  text'))).text).toBe(
      '# Title\n\nBody text',
    );
    expect((await extractDocumentText('a.txt', bytes('héllo'))).type).toBe('text/plain');
  });

  test('a file that is not what its name claims is refused with the reason', async () => {
    const refused = async (name: string, data: Uint8Array) => {
      try {
        await extractDocumentText(name, data);
      } catch (error) {
        expect(error).toBeInstanceOf(UnsupportedDocument);
        return (error as UnsupportedDocument).message;
      }
      throw new Error(`${name} was accepted`);
    };
    expect(await refused('report.pdf', bytes('just text'))).toContain('not one');
    expect(await refused('report.txt', minimalPdf(['x']))).toContain('holds a PDF');
    expect(await refused('image.txt', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0xff, 0xfe]))).toContain(
      'binary',
    );
    expect(await refused('page.html', bytes('no markup here'))).toContain('no HTML markup');
    expect(await refused('archive.zip', bytes('PK'))).toContain('unsupported file type');
    expect(await refused('broken.pdf', bytes('%PDF-1.4\ngarbage'))).toContain('could not be read');
  });
});
