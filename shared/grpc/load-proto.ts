import path from 'node:path';
import { loadPackageDefinition, type GrpcObject, type ServiceClientConstructor } from '@grpc/grpc-js';
import { load, type Options } from '@grpc/proto-loader';
import { resolveProtoDir } from './proto-dir';

/**
 * How every proto of the product is read, so servers and clients see the same JavaScript shapes:
 * camelCase field names (`pageSize`, as in the HTTP API), 64-bit integers as numbers (our counts and minor-unit
 * amounts stay far below 2^53), enums as their names, unset fields as their defaults (proto3 cannot tell unset from
 * zero anyway, so handlers never see `undefined`), and the set member of a oneof named by a virtual field.
 */
export const PROTO_LOADER_OPTIONS: Readonly<Options> = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

/** A loaded .proto file: its services, by fully qualified name (`ecom.user.v1.UserService`). */
export interface LoadedProto {
  /** The service's client constructor; its `.service` is the definition a server adds. */
  readonly client: (serviceName: string) => ServiceClientConstructor;
}

/**
 * Loads one .proto file (a path relative to the proto directory, e.g. `user.proto` — the `proto` of a function's
 * gRPC trigger) with its imports resolved from the same directory.
 *
 * @param protoDir defaults to {@link resolveProtoDir}.
 */
export async function loadProto(file: string, protoDir: string = resolveProtoDir()): Promise<LoadedProto> {
  const definition = await load(file, { ...PROTO_LOADER_OPTIONS, includeDirs: [protoDir] });
  const root = loadPackageDefinition(definition);
  return {
    client: (serviceName) => {
      const found = lookup(root, serviceName);
      if (!isServiceConstructor(found)) {
        throw new Error(`${path.join(protoDir, file)} has no service ${serviceName}`);
      }
      return found;
    },
  };
}

function lookup(root: GrpcObject, dottedName: string): unknown {
  let node: unknown = root;
  for (const part of dottedName.split('.')) {
    if (typeof node !== 'object' && typeof node !== 'function') return undefined;
    if (node === null || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

// loadPackageDefinition turns services into client classes carrying their definition; messages and packages are
// plain objects.
function isServiceConstructor(value: unknown): value is ServiceClientConstructor {
  return typeof value === 'function' && 'service' in value && 'serviceName' in value;
}
