import { extractText, getDocumentProxy } from 'unpdf';

/**
 * The text layer of an inline (base64) PDF, through unpdf (pdf.js, as the console uses), so a PDF is
 * classified like the text the model will read from it. Undefined when there is no text to read (a scan,
 * a broken file, something that is not a PDF): the request then holds opaque content and goes local.
 */
export async function pdfText(base64: string): Promise<string | undefined> {
  try {
    const bytes = Uint8Array.from(Buffer.from(base64, 'base64'));
    const { text } = await extractText(await getDocumentProxy(bytes), { mergePages: true });
    return text.trim() === '' ? undefined : text;
  } catch {
    return undefined;
  }
}
