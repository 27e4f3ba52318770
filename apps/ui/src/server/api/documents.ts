import { ClientError } from '@split-brain/http';
import { isSafeId, type Store } from '@split-brain/store';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AuthEnv } from '../auth/sign-in-layers.ts';
import { extractDocumentText, UnsupportedDocument } from '../documents/extract-text.ts';
import { badRequest, notFound } from '../errors.ts';

const tooLarge = (max: number) =>
  new ClientError(413, 'request_too_large', `the file is larger than the ${formatBytes(max)} upload limit`);

export function documentRoutes(store: Store, maxUploadBytes: number) {
  const routes = new Hono<AuthEnv>();

  routes.get('/', async (c) => c.json({ documents: await store.documents.list() }));

  routes.post(
    '/',
    // Refuses the body as it streams in, before it is buffered whole; the multipart framing gets some slack.
    bodyLimit({
      maxSize: maxUploadBytes + 64 * 1024,
      onError: () => {
        throw tooLarge(maxUploadBytes);
      },
    }),
    async (c) => {
      const me = c.get('identity');
      let form: FormData;
      try {
        form = await c.req.formData();
      } catch {
        throw badRequest('send the document as multipart/form-data with a "file" field');
      }
      const file = form.get('file');
      if (!(file instanceof File)) throw badRequest('the form has no "file" field holding a file');
      if (file.size > maxUploadBytes) throw tooLarge(maxUploadBytes);
      if (file.size === 0) throw badRequest(`${file.name} is empty`);
      const name = file.name.replace(/[\\/]/g, '_').slice(0, 255) || 'document';
      const bytes = new Uint8Array(await file.arrayBuffer());
      let extracted: Awaited<ReturnType<typeof extractDocumentText>>;
      try {
        extracted = await extractDocumentText(name, bytes);
      } catch (error) {
        if (error instanceof UnsupportedDocument) {
          throw new ClientError(error.status, 'invalid_document', error.message);
        }
        throw error;
      }
      if (extracted.text.length === 0) {
        throw new ClientError(
          422,
          'invalid_document',
          `${name}: no text could be extracted (a scanned PDF?)`,
        );
      }
      const publicField = form.get('public');
      const meta = await store.documents.save({
        name,
        mediaType: extracted.type,
        original: bytes,
        text: extracted.text,
        uploadedBy: me.email,
        // A public reference document (industry primer, public page, standard): its chunks train as negatives.
        public: publicField === 'true' || publicField === '1' || publicField === 'on',
      });
      return c.json({ document: meta, preview: extracted.text.slice(0, 500) }, 201);
    },
  );

  routes.get('/:id/text', async (c) => {
    const id = c.req.param('id');
    const meta = isSafeId(id) ? await store.documents.get(id) : undefined;
    if (!meta) throw notFound('no such document');
    // Saved from the browser, the file is named after the document, not after this path's last segment.
    const filename = `${meta.name.replace(/\.[^.]*$/, '')}.txt`;
    return c.text(await store.documents.text(id), 200, {
      'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(filename)}`,
    });
  });

  routes.put('/:id/public', async (c) => {
    const id = c.req.param('id');
    const body = (await c.req.json().catch(() => undefined)) as { public?: unknown } | undefined;
    if (typeof body?.public !== 'boolean') throw badRequest('send {"public": true} or {"public": false}');
    const meta = isSafeId(id) ? await store.documents.setPublic(id, body.public) : undefined;
    if (!meta) throw notFound('no such document');
    return c.json({ document: meta });
  });

  routes.delete('/:id', async (c) => {
    const id = c.req.param('id');
    if (!isSafeId(id) || !(await store.documents.remove(id))) throw notFound('no such document');
    return c.json({ removed: true });
  });
  return routes;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} bytes`;
}
