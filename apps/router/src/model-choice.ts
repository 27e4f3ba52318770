import type { Settings } from '@split-brain/store';
import { WireError } from '@split-brain/wire';
import type { LocalModels } from './local-models.ts';

/** Claude-family names: full ids (claude-…, anthropic/…) and the bare aliases Claude Code accepts. */
const CLAUDE_NAME = /^(claude|anthropic)[-./]|^(haiku|sonnet|opus)(\b|[-[])/i;
/** Names that leave the choice to the router. */
const ROUTER_CHOICE = new Set(['auto', 'split-brain', 'default']);

const MAX_MODEL_NAME = 256;

export const isClaudeName = (model: string) => CLAUDE_NAME.test(model);

/**
 * Refuses a model name that names neither brain: a Claude model (any family), a model ScalarLM serves, or
 * "auto". A client asking for "gpt-4o" gets a clear 400 instead of a silent substitution.
 */
export function checkModelAllowed(model: string, local: LocalModels) {
  // Real model ids are short; a huge one is abuse, not a name, and must not be forwarded upstream.
  if (model.length > MAX_MODEL_NAME) {
    throw new WireError(400, 'invalid_request', `model: at most ${MAX_MODEL_NAME} characters`, 'model');
  }
  if (isClaudeName(model) || ROUTER_CHOICE.has(model.toLowerCase()) || local.isServed(model)) return;
  throw new WireError(
    400,
    'invalid_request',
    `model "${model}" is not available here: ask for a Claude model (claude-…, haiku, sonnet, opus), "auto", or one of the local models (${local.ids.join(', ') || 'see GET /v1/models'})`,
    'model',
  );
}

/**
 * The Claude model for a request routed to Claude: the client's own Claude model when settings allow it
 * (an explicit allow-list, or any claude-… id when the list is empty), else the live default from
 * settings.json, else ANTHROPIC_MODEL.
 */
export function claudeModelFor(clientModel: string, settings: Settings, envDefault: string): string {
  const fallback = settings.defaultClaudeModel ?? envDefault;
  if (settings.allowedClaudeModels.length > 0) {
    return settings.allowedClaudeModels.includes(clientModel) ? clientModel : fallback;
  }
  return /^claude-/.test(clientModel) ? clientModel : fallback;
}

/**
 * The ScalarLM model for a request routed locally: a served model the client named, else the configured or
 * discovered one. Every Claude name, of any family (haiku, sonnet, opus), maps to that one local model.
 */
export async function localModelFor(clientModel: string, local: LocalModels): Promise<string> {
  if (!isClaudeName(clientModel) && local.isServed(clientModel)) return clientModel;
  return local.model();
}
