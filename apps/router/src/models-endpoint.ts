import { WireError } from '@split-brain/wire';
import { asWireError, dialectError } from './dialect.ts';
import type { RouterDeps } from './model-request.ts';

/**
 * GET /v1/models in the shape the client expects: Anthropic clients (they send anthropic-version or
 * x-api-key) get Anthropic's list, others OpenAI's. It names the Claude models clients may ask for and the
 * local models; which brain answers is still the router's decision per request.
 */
export async function modelList(deps: RouterDeps, request: Request, requestId: string, id?: string) {
  const anthropic = request.headers.has('anthropic-version') || request.headers.has('x-api-key');
  const dialect = anthropic ? 'anthropic' : 'openai';
  try {
    await deps.auth.authenticate(request.headers);
    const settings = deps.store.settings.get();
    const claude = new Set([
      settings.defaultClaudeModel ?? deps.config.anthropic.model,
      ...settings.allowedClaudeModels,
    ]);
    const local = deps.localModels.ids;
    const all = [
      ...[...claude].map((m) => ({ id: m, owner: 'anthropic' })),
      ...local.map((m) => ({ id: m, owner: 'scalarlm' })),
    ];
    const created = '2025-01-01T00:00:00Z';
    const shape = (m: { id: string; owner: string }) =>
      anthropic
        ? { type: 'model', id: m.id, display_name: m.id, created_at: created }
        : { id: m.id, object: 'model', created: Date.parse(created) / 1000, owned_by: m.owner };
    if (id !== undefined) {
      const found = all.find((m) => m.id === id);
      if (!found) throw new WireError(404, 'not_found', `model "${id}" is not listed here`, 'model');
      return Response.json(shape(found), { headers: { 'x-request-id': requestId } });
    }
    const data = all.map(shape);
    const body = anthropic
      ? { data, has_more: false, first_id: all[0]?.id ?? null, last_id: all.at(-1)?.id ?? null }
      : { object: 'list', data };
    return Response.json(body, { headers: { 'x-request-id': requestId } });
  } catch (error) {
    return dialectError(asWireError(error), dialect, requestId);
  }
}
