import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { PROBLEM_CONTENT_TYPE } from '../../../shared/runtime/http-problem';

/**
 * docs/openapi.yaml as the end-to-end tests hold the API's answers to it: the typed client's middleware
 * (api-client.ts) and the raw calls of the tests that send what no typed client can (security.test.ts) both
 * ask {@link answerMisfit} or {@link documentedMisfit}, with one Ajv (JSON Schema 2020-12) over the document's
 * own schemas.
 */

interface DocumentedResponse {
  readonly content?: Readonly<Record<string, unknown>>;
}
type Operations = Readonly<
  Record<string, { readonly responses: Readonly<Record<string, DocumentedResponse>> }>
>;
interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Operations>>;
}

const documentFile = path.resolve(__dirname, '../../../docs/openapi.yaml');

/** The document, read once per process (each test file is one). */
const document = parse(readFileSync(documentFile, 'utf8')) as OpenApiDocument;

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...document, $id: 'openapi' });

/** JSON Pointer escaping of one reference token (RFC 6901). */
const pointer = (token: string) => token.replaceAll('~', '~0').replaceAll('/', '~1');

const validators = new Map<string, ValidateFunction>();

/** The validator of the schema at `ref` (a reference into the document), compiled once. */
function validatorOf(ref: string): ValidateFunction {
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    validators.set(ref, validate);
  }
  return validate;
}

/** `application/json`, `application/problem+json` and any other `…+json`. */
const isJson = (mediaType: string) => /^application\/(?:[\w.-]+\+)?json$/.test(mediaType);

/** The media type of a Content-Type header, without its parameters, lower case. */
const mediaTypeOf = (contentType: string | null | undefined) =>
  (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/** A path template as a pattern: each `{name}` is one path segment, as Kong's `[^/]+` routes match it. */
function templatePattern(template: string): RegExp {
  const parts = template.split(/\{[^{}]+\}/).map((literal) => literal.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^/]+')}$`);
}

const templates = Object.keys(document.paths).map((template) => ({
  template,
  pattern: templatePattern(template),
  parameters: (template.match(/\{[^{}]+\}/g) ?? []).length,
}));

/**
 * The path template of the document that serves `method` at the concrete `pathname`, if any. A literal template
 * wins over one with parameters (`/v1/users/me` over `/v1/users/{id}`), as in OpenAPI and as Kong's routes match.
 */
export function documentedTemplate(method: string, pathname: string): string | undefined {
  const verb = method.toLowerCase();
  return templates
    .filter(
      ({ template, pattern }) => pattern.test(pathname) && document.paths[template]?.[verb] !== undefined,
    )
    .sort((a, b) => a.parameters - b.parameters)[0]?.template;
}

/**
 * What is wrong with an answer to `method` at the document's path `template`, or undefined when it is as
 * documented: its status is one the operation lists; a body comes only where the document gives that status
 * content, in a media type it lists for it, and a JSON body (`application/json`, `application/problem+json`)
 * matches the schema documented for that status and media type.
 */
export function documentedMisfit(
  method: string,
  template: string,
  status: number,
  contentType: string | null | undefined,
  bodyText: string,
): string | undefined {
  const verb = method.toLowerCase();
  const where = `${method.toUpperCase()} ${template}`;
  const operation = document.paths[template]?.[verb];
  if (!operation) return `${where} is not in docs/openapi.yaml`;
  const documented = operation.responses[String(status)];
  if (!documented) return `${where} answered ${status}, which docs/openapi.yaml does not list`;
  const content = documented.content ?? {};
  const mediaType = mediaTypeOf(contentType);
  if (bodyText === '') {
    // HEAD answers a GET's headers without its body.
    if (Object.keys(content).length === 0 || verb === 'head') return undefined;
    return `${where} answered ${status} without a body, where docs/openapi.yaml documents ${Object.keys(content).join(', ')}`;
  }
  if (!(mediaType in content)) {
    return `${where} answered ${status} as ${mediaType || 'no content type'}, which docs/openapi.yaml does not list for it: ${bodyText.slice(0, 300)}`;
  }
  if (!isJson(mediaType)) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return `${where} answered ${status} as ${mediaType}, but not JSON: ${bodyText.slice(0, 300)}`;
  }
  const ref = `openapi#/paths/${pointer(template)}/${verb}/responses/${String(status)}/content/${pointer(mediaType)}/schema`;
  const validate = validatorOf(ref);
  if (validate(body)) return undefined;
  return `${where} ${status} ${mediaType} does not match docs/openapi.yaml: ${ajv.errorsText(validate.errors)}: ${bodyText.slice(0, 300)}`;
}

/**
 * Kong's "no Route matched", as kong.yml's pre-function rewrites it (dev/deploy/gateway-problems.ts): a 404
 * problem document with the code ROUTE.NOT_FOUND, the one answer a method and path the document lacks may get.
 */
function isGatewayNotFound(
  status: number,
  contentType: string | null | undefined,
  bodyText: string,
): boolean {
  if (status !== 404 || mediaTypeOf(contentType) !== PROBLEM_CONTENT_TYPE) return false;
  try {
    const body = JSON.parse(bodyText) as { status?: unknown; code?: unknown };
    return body.status === 404 && body.code === 'ROUTE.NOT_FOUND';
  } catch {
    return false;
  }
}

/**
 * What is wrong with an answer to `method` at `url` (a concrete path, with or without origin and query), or
 * undefined when it is as docs/openapi.yaml documents: the operation is found by matching the path against the
 * document's templates (`{id}` is one segment), and the answer is held to it as {@link documentedMisfit} says.
 *
 * A method and path the document does not have is a route the gateway does not serve either: its answer is exempt
 * only when the gateway itself gave it (its 404 ROUTE.NOT_FOUND, Kong's "no Route matched with those values").
 * Any other answer there means a function serves an undocumented route: a misfit.
 */
export function answerMisfit(
  method: string,
  url: string,
  status: number,
  contentType: string | null | undefined,
  bodyText: string,
): string | undefined {
  const pathname = new URL(url, 'https://gateway.invalid').pathname;
  const template = documentedTemplate(method, pathname);
  if (template !== undefined) return documentedMisfit(method, template, status, contentType, bodyText);
  if (isGatewayNotFound(status, contentType, bodyText)) return undefined;
  return `${method.toUpperCase()} ${pathname} is not in docs/openapi.yaml, yet answered ${status} ${mediaTypeOf(contentType) || 'without a content type'}, not the gateway's 404 ROUTE.NOT_FOUND: ${bodyText.slice(0, 300)}`;
}
