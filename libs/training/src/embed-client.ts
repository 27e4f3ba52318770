/** Embeds texts through the classifier's POST /embed, in batches, so training uses the served model. */
export interface EmbedClientOptions {
  classifierUrl: string;
  batchSize?: number;
  fetch?: typeof fetch;
  onProgress?: (done: number, total: number) => void;
}

export interface EmbedResult {
  modelId: string;
  dimension: number;
  embeddings: number[][];
}

export async function embedViaClassifier(texts: string[], options: EmbedClientOptions): Promise<EmbedResult> {
  const batchSize = options.batchSize ?? 64;
  const doFetch = options.fetch ?? fetch;
  const embeddings: number[][] = [];
  let modelId = '';
  let dimension = 0;
  for (let start = 0; start < texts.length; start += batchSize) {
    const batch = texts.slice(start, start + batchSize);
    const res = await doFetch(new URL('/embed', options.classifierUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ texts: batch }),
    });
    if (!res.ok) {
      throw new Error(`classifier /embed answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    }
    const body = (await res.json()) as EmbedResult;
    if (body.embeddings.length !== batch.length) {
      throw new Error(
        `classifier /embed returned ${body.embeddings.length} embeddings for ${batch.length} texts`,
      );
    }
    if (modelId && (body.modelId !== modelId || body.dimension !== dimension)) {
      throw new Error('the classifier changed model during training');
    }
    modelId = body.modelId;
    dimension = body.dimension;
    embeddings.push(...body.embeddings);
    options.onProgress?.(embeddings.length, texts.length);
  }
  return { modelId, dimension, embeddings };
}
