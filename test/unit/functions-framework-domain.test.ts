// functions-framework 5.0.5 ran every request in a `domain`, which turns on Node's async hooks for each promise and
// callback of the process: several times the CPU of the async work itself. patches/@google-cloud+functions-framework
// (applied by patch-package at install) takes it out; this proves the installed framework carries the patch, and
// that a handler's error still gets an answer rather than taking the process down.
import test from 'ava';
import { serveFunction } from '../support/function-under-test';

test('a request is handled outside any domain', async (t) => {
  let inDomain: boolean | undefined;
  const fn = await serveFunction((_req, res) => {
    // Read after an await too: a domain would be carried into the continuation.
    void Promise.resolve().then(() => {
      // Not in @types/node: `process.domain` is the active domain, set only while the domain module is in use.
      inDomain = (process as { domain?: unknown }).domain != null;
      res.status(204).end();
    });
  });
  t.teardown(() => fn.close());
  const answer = await fetch(`${fn.url}/v1/anything`);
  t.is(answer.status, 204);
  t.false(inDomain);
});

test('a handler that throws, at once or in its promise, is answered 500 and the server goes on', async (t) => {
  // functions-framework logs the error's stack itself.
  const consoleError = console.error;
  console.error = () => undefined;
  t.teardown(() => {
    console.error = consoleError;
  });
  let calls = 0;
  const fn = await serveFunction(() => {
    calls++;
    if (calls === 1) throw new Error('thrown at once');
    return Promise.reject(new Error('rejected later'));
  });
  t.teardown(() => fn.close());
  t.is((await fetch(`${fn.url}/first`)).status, 500);
  t.is((await fetch(`${fn.url}/second`)).status, 500);
  t.is((await fetch(`${fn.url}/third`)).status, 500);
  t.is(calls, 3);
});
