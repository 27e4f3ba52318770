/**
 * Stage "classify what will be sent": the texts the classifier must read for a Claude-bound request, taken
 * from the outgoing value itself (libs/wire claude-texts.ts), plus the client's header values that go with
 * it, plus the text layer of inline PDFs; and what it holds that nobody can read (opaque content).
 */
import { type ExtractedText, type OpenAIChatRequest, textsSentToClaude } from '@split-brain/wire';
import { pdfText } from './pdf-text.ts';
import type { ClaudeCandidate } from './upstream-request.ts';

export interface SentTexts {
  texts: ExtractedText[];
  opaque: string[];
}

export async function sentTexts(candidate: ClaudeCandidate, openai?: OpenAIChatRequest): Promise<SentTexts> {
  const found = textsSentToClaude(candidate.body);
  const texts = found.texts;
  const opaque = [...(openai ? openaiOpaqueParts(openai) : []), ...found.opaque];
  for (const text of candidate.headerTexts) texts.push({ source: 'request', text });
  for (const pdf of found.pdfs) {
    const text = await pdfText(pdf.data);
    if (text === undefined) opaque.push(`a PDF without a text layer at ${pdf.where}`);
    // Well-formed, so the cache key (over UTF-8) is the text the classifier reads.
    else texts.push({ source: pdf.source, text: text.toWellFormed() });
  }
  return { texts, opaque };
}

const PDF_DATA_URL = /^data:application\/pdf;base64,/;

/** OpenAI parts the classifier cannot read, some of which the translation to Anthropic would drop. */
function openaiOpaqueParts(request: OpenAIChatRequest): string[] {
  const opaque: string[] = [];
  request.messages.forEach((message, i) => {
    if (message.role !== 'user' || typeof message.content === 'string') return;
    message.content.forEach((part, j) => {
      const where = `messages.${i}.content.${j}`;
      if (part.type === 'image_url') opaque.push(`an image at ${where}`);
      else if (part.type === 'input_audio') opaque.push(`audio at ${where}`);
      else if (part.type === 'file') {
        const data = part.file.file_data;
        if (!(typeof data === 'string' && PDF_DATA_URL.test(data))) opaque.push(`a file at ${where}`);
      }
    });
  });
  return opaque;
}
