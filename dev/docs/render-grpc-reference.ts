// docs/grpc.md: the gRPC reference, rendered from the contracts (proto/*.proto, read by protobufjs) and the sidecar
// functions' declarations, so the page cannot drift from what the sidecars serve: per package and service, each
// method with its messages and streaming, every message's fields and every enum, with the protos' own comments.
import { Enum, MapField, Type, type Field, type Method, type Service } from 'protobufjs';
import type { FunctionDefinition } from '../../shared/kit/function-definition';
import { DEFAULT_MAX_REQUEST_BYTES } from '../../shared/grpc/start-grpc-server';
import { NAMESPACE } from '../deploy/deploy-settings';
import type { GeneratedFile } from '../deploy/yaml-file';
import { readProtoFiles, type ProtoFile } from './proto-files';

export const GRPC_REFERENCE_FILE = 'docs/grpc.md';

/** A table cell: one line, its pipes escaped. */
const cell = (text: string | null | undefined) =>
  (text ?? '').replace(/\s*\n\s*/g, ' ').replaceAll('|', '\\|');
/** A table with its columns padded to one width, as prettier aligns them, so `prettier --check` passes it as is. */
function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = head.map((title, column) =>
    Math.max(3, ...[head, ...rows].map((cells) => (cells[column] ?? '').length)),
  );
  const row = (cells: readonly string[]) =>
    `| ${widths.map((width, column) => (cells[column] ?? '').padEnd(width)).join(' | ')} |`;
  return [row(head), row(widths.map((width) => '-'.repeat(width))), ...rows.map(row)];
}
/** `.ecom.user.v1.User` -> `ecom.user.v1.User`. */
const fullName = (object: { fullName: string }) => object.fullName.replace(/^\./, '');
/** A link to a message or enum of these files, by its full name (each has an anchor of that name). */
const typeLink = (object: { name: string; fullName: string }) => `[${object.name}](#${fullName(object)})`;
const anchor = (object: { fullName: string }) => `<a id="${fullName(object)}"></a>`;

function fieldType(field: Field): string {
  const type = field.resolvedType ? typeLink(field.resolvedType) : `\`${field.type}\``;
  return field instanceof MapField ? `map<\`${field.keyType}\`, ${type}>` : type;
}

/** `repeated`, `optional` (proto3 explicit presence), `oneof <name>`, or nothing: proto3's implicit presence. */
function fieldLabel(field: Field): string {
  if (field instanceof MapField) return '';
  if (field.repeated) return 'repeated';
  if (field.options?.['proto3_optional'] === true) return 'optional';
  return field.partOf ? `oneof \`${field.partOf.name}\`` : '';
}

const streaming = (method: Method) =>
  [method.requestStream ? 'client' : '', method.responseStream ? 'server' : ''].filter(Boolean).join(', ') ||
  'unary';

function methodSignature(method: Method): string {
  const request = `${method.requestStream ? 'stream ' : ''}${method.requestType}`;
  const response = `${method.responseStream ? 'stream ' : ''}${method.responseType}`;
  return `\`rpc ${method.name}(${request}) returns (${response})\``;
}

function resolved(method: Method): { request: Type; response: Type } {
  method.resolve();
  const { resolvedRequestType: request, resolvedResponseType: response } = method;
  if (!request || !response) throw new Error(`${method.name}: its messages do not resolve`);
  return { request, response };
}

function serviceSection(service: Service, servedBy: readonly FunctionDefinition[]): string[] {
  const methods = service.methodsArray;
  const who = servedBy.map((fn) => `\`${fn.name}\``).join(', ') || 'no function yet';
  return [
    `### ${anchor(service)}${service.name}`,
    '',
    ...(service.comment ? [service.comment, ''] : []),
    `\`${fullName(service)}\`, served by ${who}.`,
    '',
    ...table(
      ['method', 'request', 'response', 'streaming'],
      methods.map((method) => {
        const { request, response } = resolved(method);
        return [
          `[${method.name}](#${fullName(service)}.${method.name})`,
          typeLink(request),
          typeLink(response),
          streaming(method),
        ];
      }),
    ),
    '',
    ...methods.flatMap((method) => [
      `#### <a id="${fullName(service)}.${method.name}"></a>${service.name}.${method.name}`,
      '',
      `${methodSignature(method)}: ${streaming(method)}.`,
      '',
      ...(method.comment ? [method.comment, ''] : []),
    ]),
  ];
}

function messageSection(message: Type): string[] {
  return [
    `#### ${anchor(message)}${message.name}`,
    '',
    ...(message.comment ? [message.comment, ''] : []),
    ...(message.fieldsArray.length === 0
      ? ['No fields.', '']
      : [
          ...table(
            ['field', 'number', 'type', 'label', 'description'],
            message.fieldsArray.map((field) => [
              `\`${field.name}\``,
              String(field.id),
              fieldType(field),
              fieldLabel(field),
              cell(field.comment),
            ]),
          ),
          '',
        ]),
  ];
}

function enumSection(enumeration: Enum): string[] {
  return [
    `#### ${anchor(enumeration)}${enumeration.name}`,
    '',
    ...(enumeration.comment ? [enumeration.comment, ''] : []),
    ...table(
      ['name', 'number', 'description'],
      Object.entries(enumeration.values).map(([name, number]) => [
        `\`${name}\``,
        String(number),
        cell(enumeration.comments[name]),
      ]),
    ),
    '',
  ];
}

function packageSection(file: ProtoFile, sidecars: readonly FunctionDefinition[]): string[] {
  const servedBy = (service: Service) =>
    sidecars.filter((fn) => fn.trigger.kind === 'grpc' && fn.trigger.services.includes(fullName(service)));
  return [
    `## ${file.packageName}`,
    '',
    `From [\`${file.path}\`](../${file.path}).`,
    '',
    ...(file.header ? [file.header, ''] : []),
    ...file.services.flatMap((service) => serviceSection(service, servedBy(service))),
    ...(file.messages.length > 0 ? ['### Messages', '', ...file.messages.flatMap(messageSection)] : []),
    ...(file.enums.length > 0 ? ['### Enums', '', ...file.enums.flatMap(enumSection)] : []),
  ];
}

/** Where each service answers: through Kong, and inside the cluster. */
function reachSection(files: readonly ProtoFile[], sidecars: readonly FunctionDefinition[]): string[] {
  const rows = files.flatMap((file) =>
    file.services.map((service) => {
      const name = fullName(service);
      const fns = sidecars.filter((fn) => fn.trigger.kind === 'grpc' && fn.trigger.services.includes(name));
      return [
        `[\`${name}\`](#${name})`,
        fns.map((fn) => `\`${fn.name}\``).join(', '),
        `\`/${name}/\``,
        fns.map((fn) => `\`${fn.name}.${NAMESPACE}.svc.cluster.local:80\``).join(', '),
      ];
    }),
  );
  return [
    '## Reaching a service',
    '',
    "- **Through Kong**, from outside the cluster: gRPC over TLS (`grpcs`, HTTP/2) on Kong's HTTPS port (443 on " +
      "its LoadBalancer Service; docs/deploy.md), routed by the service's path. Kong's jwt plugin checks the " +
      '`authorization: Bearer <access token>` metadata on every call, methods the proto calls open to anyone ' +
      `included, and refuses requests over ${DEFAULT_MAX_REQUEST_BYTES / 1024 ** 2} MiB, the sidecars' own limit.`,
    "- **In the cluster**, from the other functions: the sidecar's Knative Service, cleartext HTTP/2 (h2c) on port " +
      '80 through Kourier; what `USER_GRPC_ADDRESS` and `PRODUCT_GRPC_ADDRESS` are set to. The sidecar checks the ' +
      'token itself, per method.',
    "- **Locally**, `npm start`'s gateway carries the same routes, with the same plugins, on its HTTPS port " +
      '(localhost:8443; trust its certificate as for HTTPS). A client that offers HTTP/2 alone, as gRPC clients do, ' +
      'gets it there; curl and browsers keep HTTP/1.1. Each sidecar also listens on 127.0.0.1 at the port ' +
      '`npm start` prints.',
    '- Every sidecar also serves the standard health service `grpc.health.v1.Health` ' +
      '([`proto/grpc/health/v1/health.proto`](../proto/grpc/health/v1/health.proto)).',
    '',
    ...table(['service', 'served by', 'Kong route (grpcs)', 'in the cluster (h2c)'], rows),
    '',
  ];
}

/** docs/grpc.md from proto/*.proto and the gRPC sidecars' declarations. */
export function renderGrpcReference(definitions: readonly FunctionDefinition[]): GeneratedFile {
  const files = readProtoFiles();
  const sidecars = [...definitions]
    .filter((definition) => definition.trigger.kind === 'grpc')
    .sort((a, b) => a.name.localeCompare(b.name));
  const lines = [
    '<!-- Generated by npm run generate from proto/*.proto (dev/docs/render-grpc-reference.ts). Do not edit. -->',
    '',
    '# gRPC reference',
    '',
    "The synchronous API of each service's gRPC sidecar, from its contract in [`proto/`](../proto). Field names " +
      'are as the protos write them (snake_case); JSON and the Node runtime see them camelCase (`page_size` is ' +
      '`pageSize`). Errors carry the gRPC status code of their kind and the stable code in the `error-code` ' +
      'trailer (`error-fields-bin`: the invalid fields, for INVALID_ARGUMENT).',
    '',
    ...reachSection(files, sidecars),
    ...files.flatMap((file) => packageSection(file, sidecars)),
  ];
  return { path: GRPC_REFERENCE_FILE, content: `${lines.join('\n').trimEnd()}\n` };
}
