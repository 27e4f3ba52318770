/**
 * Anthropic prompt caching (ANTHROPIC_PROMPT_CACHING): when the client marked nothing itself, a
 * `cache_control` breakpoint goes on the last tool and the last system block of a long prefix, so repeated
 * turns read it from Claude's cache. Below about 1024 tokens Claude does not cache, so short prefixes are
 * left alone.
 */
const MIN_PREFIX_CHARS = 4096;
const EPHEMERAL = { type: 'ephemeral' } as const;

type Body = Record<string, unknown>;

export function addCacheBreakpoints(body: Body): boolean {
  if (hasCacheControl(body)) return false;
  const tools = Array.isArray(body.tools) ? (body.tools as Body[]) : [];
  const system = body.system;
  const systemChars =
    typeof system === 'string'
      ? system.length
      : Array.isArray(system)
        ? (system as Body[]).reduce((n, b) => n + (typeof b.text === 'string' ? b.text.length : 0), 0)
        : 0;
  const toolChars = tools.length > 0 ? JSON.stringify(tools).length : 0;
  if (systemChars + toolChars < MIN_PREFIX_CHARS) return false;
  const lastTool = tools.at(-1);
  // A new array: the body may share its tools with the client's parsed request.
  if (lastTool && toolChars >= MIN_PREFIX_CHARS / 2)
    body.tools = [...tools.slice(0, -1), { ...lastTool, cache_control: EPHEMERAL }];
  if (typeof system === 'string' && system.length > 0) {
    body.system = [{ type: 'text', text: system, cache_control: EPHEMERAL }];
  } else if (Array.isArray(system) && system.length > 0) {
    const blocks = [...(system as Body[])];
    blocks[blocks.length - 1] = { ...blocks.at(-1), cache_control: EPHEMERAL };
    body.system = blocks;
  }
  return true;
}

function hasCacheControl(body: Body): boolean {
  if (body.cache_control) return true;
  const lists: unknown[] = [body.tools, body.system];
  if (Array.isArray(body.messages)) {
    for (const m of body.messages as Body[]) lists.push(m.content);
  }
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const item of list as Body[])
      if (item && typeof item === 'object' && item.cache_control) return true;
  }
  return false;
}
