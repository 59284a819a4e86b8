// docs/grpc.md: every service, method, message and enum of proto/*.proto, read here on their own by protobufjs, is
// in the reference, with where each service is served; and the page is as prettier would write it (npm run lint).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { format, resolveConfig } from 'prettier';
import { Enum, Namespace, Root, Service, Type, type NamespaceBase, type ReflectionObject } from 'protobufjs';
import { loadDefinitions, renderAll } from '../../dev/deploy/render-all';
import { GRPC_REFERENCE_FILE, renderGrpcReference } from '../../dev/docs/render-grpc-reference';

const root = path.resolve(__dirname, '../..');
const definitions = loadDefinitions();
const { content } = renderGrpcReference(definitions);

const protoFiles = readdirSync(path.join(root, 'proto'))
  .filter((name) => name.endsWith('.proto'))
  .map((name) => path.join(root, 'proto', name));

function everything(namespace: NamespaceBase): ReflectionObject[] {
  return namespace.nestedArray.flatMap((nested) =>
    nested instanceof Namespace ? [nested, ...everything(nested)] : [nested],
  );
}
// Field names as written (snake_case), as the reference shows them.
const declared = protoFiles.flatMap((file) => {
  const proto = new Root();
  proto.loadSync(file, { keepCase: true });
  return everything(proto);
});
const name = (object: ReflectionObject) => object.fullName.replace(/^\./, '');

test('npm run generate renders docs/grpc.md (and the freshness test holds it to that)', (t) => {
  t.true(renderAll(definitions).some((file) => file.path === GRPC_REFERENCE_FILE));
});

test('every service and method of the protos is in the reference, with its signature', (t) => {
  const services = declared.filter((object) => object instanceof Service);
  t.true(services.length >= 3);
  for (const service of services) {
    t.true(content.includes(`<a id="${name(service)}"></a>${service.name}`), name(service));
    for (const method of service.methodsArray) {
      t.true(
        content.includes(`<a id="${name(service)}.${method.name}"></a>`),
        `${name(service)}.${method.name}`,
      );
      t.true(
        content.includes(`\`rpc ${method.name}(${method.requestType}) returns (${method.responseType})\``),
        method.name,
      );
    }
  }
});

test('every message with each of its fields, and every enum with its values, is in the reference', (t) => {
  for (const object of declared) {
    if (object instanceof Type) {
      const section = content.split(`<a id="${name(object)}"></a>`)[1]?.split('\n#### ')[0] ?? '';
      t.not(section, '', name(object));
      for (const field of object.fieldsArray) {
        t.regex(
          section,
          new RegExp(`\\| \`${field.name}\` +\\| ${field.id} `),
          `${name(object)}.${field.name}`,
        );
      }
    }
    if (object instanceof Enum) {
      for (const value of Object.keys(object.values)) t.true(content.includes(`\`${value}\``), value);
    }
  }
});

test('each service names the sidecar that serves it and where it answers', (t) => {
  for (const fn of definitions) {
    if (fn.trigger.kind !== 'grpc') continue;
    for (const service of fn.trigger.services) {
      t.true(content.includes(`\`${fn.name}\``), fn.name);
      t.true(content.includes(`\`/${service}/\``), service);
      t.true(content.includes(`\`${fn.name}.ecom.svc.cluster.local:80\``), fn.name);
    }
  }
});

test('the proto comments are carried over', (t) => {
  t.true(content.includes('Admins only: a customer gets PERMISSION_DENIED.'));
  t.true(content.includes('Never sent by the server; proto3 needs a zero value.'));
});

test('the page is already as prettier formats it', async (t) => {
  const target = path.join(root, GRPC_REFERENCE_FILE);
  const options = await resolveConfig(target);
  t.is(await format(content, { ...options, filepath: target }), content);
});
