import type { Role } from '../domain/user/roles';
import type { SessionLookup } from './session-check';

/** How long another service trusts a confirmed session: a logout or demotion reaches it within this time. */
export const SESSION_CACHE_MS = 3000;

// Bounds memory under a flood of distinct tokens; the oldest entries go first.
const MAX_ENTRIES = 10_000;

/**
 * Remembers a confirmed session for `ttlMs`, per token (its `jti`), so a burst of admin requests costs one call to
 * the user service. An ended session is not remembered: it stays ended, and each retry asks again.
 */
export function cachedSessionLookup(
  lookup: SessionLookup,
  options: { readonly ttlMs?: number; readonly now?: () => number } = {},
): SessionLookup {
  const { ttlMs = SESSION_CACHE_MS, now = Date.now } = options;
  const confirmed = new Map<string, { readonly role: Role; readonly until: number }>();
  return async (caller) => {
    const key = caller.principal.tokenId;
    const hit = confirmed.get(key);
    if (hit && hit.until > now()) return { role: hit.role };
    confirmed.delete(key);
    const current = await lookup(caller);
    if (current !== undefined) {
      const oldest = confirmed.keys().next();
      if (confirmed.size >= MAX_ENTRIES && oldest.done !== true) confirmed.delete(oldest.value);
      confirmed.set(key, { role: current.role, until: now() + ttlMs });
    }
    return current;
  };
}
