import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { readJsonFile, writeFileAtomic, writeJsonAtomic } from './atomic-file.ts';
import type { StorePaths } from './paths.ts';
import { logProblem, type ProblemSink, StoreDataError } from './problems.ts';
import { type DocumentMeta, documentMetaSchema } from './records.ts';

/** Uploaded documents (proprietary, or public reference documents) under bootstrap/: the original bytes, the extracted text, and metadata. */
export class DocumentStore {
  constructor(
    private readonly paths: StorePaths,
    private readonly onProblem: ProblemSink = logProblem,
  ) {}

  async save(input: {
    name: string;
    mediaType: DocumentMeta['mediaType'];
    original: Uint8Array;
    text: string;
    uploadedBy: string;
    /** A public reference document rather than a proprietary one. */
    public?: boolean;
    now?: Date;
  }): Promise<DocumentMeta> {
    const id = randomUUID();
    const meta = documentMetaSchema.parse({
      v: 1,
      id,
      name: input.name,
      mediaType: input.mediaType,
      bytes: input.original.byteLength,
      sha256: createHash('sha256').update(input.original).digest('hex'),
      textChars: input.text.length,
      uploadedAt: (input.now ?? new Date()).toISOString(),
      uploadedBy: input.uploadedBy,
      ...(input.public ? { public: true } : {}),
    });
    await writeFileAtomic(this.paths.documentOriginalFile(id), input.original);
    await writeFileAtomic(this.paths.documentTextFile(id), input.text);
    // The metadata goes last: a document without it is an unfinished upload and is not listed.
    await writeJsonAtomic(this.paths.documentMetaFile(id), meta);
    return meta;
  }

  async list(): Promise<DocumentMeta[]> {
    let ids: string[];
    try {
      ids = await readdir(this.paths.bootstrapDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const out: DocumentMeta[] = [];
    for (const id of ids) {
      try {
        const meta = await readJsonFile(this.paths.documentMetaFile(id), documentMetaSchema);
        if (meta) out.push(meta);
      } catch (error) {
        if (error instanceof StoreDataError) this.onProblem(error.problem);
        else if (!(error instanceof Error && error.name === 'UnsafeIdError')) throw error;
      }
    }
    return out.sort((a, b) => b.uploadedAt.localeCompare(a.uploadedAt));
  }

  async get(id: string): Promise<DocumentMeta | undefined> {
    return readJsonFile(this.paths.documentMetaFile(id), documentMetaSchema);
  }

  async text(id: string): Promise<string> {
    return readFile(this.paths.documentTextFile(id), 'utf8');
  }

  /** The uploaded bytes as they came (HTML is re-read from here for training, so its tables keep their rows). */
  async original(id: string): Promise<Uint8Array> {
    return new Uint8Array(await readFile(this.paths.documentOriginalFile(id)));
  }

  /** Marks a document public (a reference document) or proprietary. */
  async setPublic(id: string, isPublic: boolean): Promise<DocumentMeta | undefined> {
    const meta = await this.get(id);
    if (!meta) return undefined;
    const { public: _, ...rest } = meta;
    const next = documentMetaSchema.parse(isPublic ? { ...rest, public: true } : rest);
    await writeJsonAtomic(this.paths.documentMetaFile(id), next);
    return next;
  }

  async remove(id: string): Promise<boolean> {
    if (!(await this.get(id))) return false;
    await rm(this.paths.documentDir(id), { recursive: true, force: true });
    return true;
  }
}
