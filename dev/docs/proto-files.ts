import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Enum, Namespace, parse, Service, Type, type NamespaceBase, type ReflectionObject } from 'protobufjs';

const root = path.resolve(__dirname, '../..');

/** The services' contracts: proto/<service>.proto, one package each (proto/grpc/ holds the standard health service). */
export const PROTO_DIR = 'proto';

/** One .proto file as protobufjs reads it, with what it declares in its package, in the file's order. */
export interface ProtoFile {
  /** From the project root, e.g. `proto/user.proto`. */
  readonly path: string;
  readonly packageName: string;
  /** The comment that opens the file, before `syntax`: what holds for every call of its services. */
  readonly header: string;
  readonly services: readonly Service[];
  /** Messages, nested ones after their parent. */
  readonly messages: readonly Type[];
  readonly enums: readonly Enum[];
}

/** The `//` lines that open a file, without their markers; an empty one separates paragraphs. */
function headerComment(text: string): string {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    const comment = /^\s*\/\/ ?(.*)$/.exec(line);
    if (!comment) break;
    lines.push(comment[1] ?? '');
  }
  return lines.join('\n').trim();
}

/** Every service, type and enum under `namespace`, depth first in declaration order (a message's nested types too). */
function declared(namespace: NamespaceBase): ReflectionObject[] {
  return namespace.nestedArray.flatMap((nested) =>
    nested instanceof Namespace ? [nested, ...declared(nested)] : [nested],
  );
}

/**
 * Parses proto/*.proto with protobufjs, keeping field names as written (snake_case) and the `//` comments the
 * files document everything with (alternateCommentMode: protobufjs would otherwise keep only `///` and block doc comments).
 */
export function readProtoFiles(): ProtoFile[] {
  return readdirSync(path.join(root, PROTO_DIR))
    .filter((name) => name.endsWith('.proto'))
    .sort()
    .map((name) => {
      const file = `${PROTO_DIR}/${name}`;
      const text = readFileSync(path.join(root, file), 'utf8');
      const parsed = parse(text, { keepCase: true, alternateCommentMode: true });
      if (!parsed.package) throw new Error(`${file} declares no package`);
      parsed.root.resolveAll();
      const pkg = parsed.root.lookup(parsed.package);
      if (!(pkg instanceof Namespace)) throw new Error(`${file}: no namespace ${parsed.package}`);
      const objects = declared(pkg);
      return {
        path: file,
        packageName: parsed.package,
        header: headerComment(text),
        services: objects.filter((object) => object instanceof Service),
        messages: objects.filter((object) => object instanceof Type),
        enums: objects.filter((object) => object instanceof Enum),
      };
    });
}
