import test from 'ava';
import { cachedSessionLookup, SESSION_CACHE_MS } from '../../../shared/auth/cached-session-lookup';
import type { SessionLookup, VerifiedCaller } from '../../../shared/auth/session-check';
import type { Role } from '../../../shared/domain/user/roles';

const caller = (tokenId: string): VerifiedCaller => ({
  principal: { userId: 'u-1', role: 'admin', tokenId, sessionId: 's-1', expiresAt: new Date(0) },
  authorization: `Bearer ${tokenId}`,
});

/** A lookup answering what `answer` says now, counting its calls. */
function counting(answer: () => Role | undefined) {
  const calls: string[] = [];
  const lookup: SessionLookup = (asked) => {
    calls.push(asked.principal.tokenId);
    const role = answer();
    return Promise.resolve(role === undefined ? undefined : { role });
  };
  return { calls, lookup };
}

test('a confirmed session is remembered per token for the cache time, then asked again', async (t) => {
  let now = 0;
  let role: Role | undefined = 'admin';
  const { calls, lookup } = counting(() => role);
  const cached = cachedSessionLookup(lookup, { now: () => now });
  t.deepEqual(await cached(caller('a')), { role: 'admin' });
  role = 'customer';
  now = SESSION_CACHE_MS - 1;
  t.deepEqual(await cached(caller('a')), { role: 'admin' }, 'within the cache time');
  t.deepEqual(await cached(caller('b')), { role: 'customer' }, 'another token asks');
  now = SESSION_CACHE_MS;
  t.deepEqual(await cached(caller('a')), { role: 'customer' }, 'expired: asked again');
  t.deepEqual(calls, ['a', 'b', 'a']);
});

test('an ended session is not remembered: every request asks', async (t) => {
  const { calls, lookup } = counting(() => undefined);
  const cached = cachedSessionLookup(lookup, { now: () => 0 });
  t.is(await cached(caller('a')), undefined);
  t.is(await cached(caller('a')), undefined);
  t.deepEqual(calls, ['a', 'a']);
});
