import { trainFromStore } from '@split-brain/training';
import type { Trainer } from './jobs.ts';

/**
 * The console's trainer: the training library over the store's documents and labels plus its shipped
 * general-text negatives, embedding through the classifier's /embed. Cancelling aborts the embedding calls.
 */
export function storeTrainer(classifierUrl: string, options: { maxGeneralNegatives?: number } = {}): Trainer {
  return async ({ store, targetRecall, signal, onProgress }) => {
    const result = await trainFromStore(store, {
      classifierUrl,
      targetRecall,
      maxGeneralNegatives: options.maxGeneralNegatives,
      fetch: ((input: RequestInfo | URL, init?: RequestInit) =>
        fetch(input, { ...init, signal })) as typeof fetch,
      onProgress: (stage, done, total) => onProgress({ phase: stage, done, total }),
    });
    const c = result.counts;
    return {
      head: result.head,
      counts: { positives: c.documentChunks + c.proprietaryLabels, negatives: c.publicLabels + c.general },
    };
  };
}
