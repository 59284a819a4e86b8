import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

export const DOCS_PATH = '/docs';

const root = path.resolve(__dirname, '../..');
// Swagger UI from node_modules: the page fetches nothing from the internet.
const swaggerUi = path.dirname(require.resolve('swagger-ui-dist/package.json'));

/** What /docs serves beside its page: the generated documents, and the viewer's own files. */
const FILES: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  'openapi.yaml': { file: path.join(root, 'docs/openapi.yaml'), type: 'application/yaml' },
  'asyncapi.yaml': { file: path.join(root, 'docs/asyncapi.yaml'), type: 'application/yaml' },
  'grpc.md': { file: path.join(root, 'docs/grpc.md'), type: 'text/markdown; charset=utf-8' },
  'swagger-ui.css': { file: path.join(swaggerUi, 'swagger-ui.css'), type: 'text/css' },
  'swagger-ui-bundle.js': { file: path.join(swaggerUi, 'swagger-ui-bundle.js'), type: 'text/javascript' },
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>ecom-serverless API</title>
  <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
  <style>
    body { margin: 0; font-family: sans-serif; }
    nav { padding: 10px 20px; background: #1b1b1b; color: #fff; }
    nav a { color: #9fd3ff; margin-right: 16px; }
  </style>
</head>
<body>
  <nav>
    <strong>ecom-serverless</strong> &mdash;
    <a href="${DOCS_PATH}/openapi.yaml">OpenAPI document</a>
    <a id="event-catalogue" href="${DOCS_PATH}/asyncapi.yaml">Event catalogue (AsyncAPI)</a>
    <a href="${DOCS_PATH}/grpc.md">gRPC services</a>
  </nav>
  <div id="swagger-ui"></div>
  <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: '${DOCS_PATH}/openapi.yaml',
      dom_id: '#swagger-ui',
      deepLinking: true,
      docExpansion: 'list',
      tryItOutEnabled: false,
    });
  </script>
</body>
</html>
`;

/**
 * The API reference of the local stack, served by its gateway under /docs (Kong in the cluster serves no such
 * page): Swagger UI over docs/openapi.yaml, with links to the event catalogue and the gRPC reference. True when it
 * answered the request.
 */
export function serveDocs(req: IncomingMessage, res: ServerResponse): boolean {
  const { pathname } = new URL(req.url ?? '/', 'http://gateway.local');
  if (pathname !== DOCS_PATH && !pathname.startsWith(`${DOCS_PATH}/`)) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return true;
  }
  const name = pathname.slice(DOCS_PATH.length + 1);
  if (name === '' || name === 'index.html') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : PAGE);
    return true;
  }
  const served = Object.hasOwn(FILES, name) ? FILES[name] : undefined;
  if (!served) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('No such document.\n');
    return true;
  }
  readFile(served.file).then(
    (content) => {
      res.writeHead(200, { 'content-type': served.type, 'cache-control': 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : content);
    },
    () => {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not generated yet: run npm run generate.\n');
    },
  );
  return true;
}
