import type { ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Logger } from '../log/logger';
import type { LoadedProto } from './load-proto';
import type { Verifier } from './request-context';
import type { UnaryMethod } from './unary-method';

/** A service ready to serve: its fully qualified name (the health service reports it), definition and handlers. */
export interface GrpcService {
  readonly name: string;
  readonly definition: ServiceDefinition;
  readonly implementation: UntypedServiceImplementation;
}

export interface UnaryServiceOptions {
  readonly proto: LoadedProto;
  /** Fully qualified, e.g. `ecom.user.v1.UserService`. */
  readonly name: string;
  /** One per rpc of the service, keyed by its name in the proto (`GetUser`). */
  readonly methods: Readonly<Record<string, UnaryMethod>>;
  readonly verify: Verifier;
  readonly logger: Logger;
}

/**
 * Binds unary methods to a service of a proto. Fails at startup, not at the first call, when the methods and the
 * proto disagree: an rpc without a method (grpc-js would answer UNIMPLEMENTED), a method without an rpc (a typo),
 * or a streaming rpc (this runtime writes unary methods only).
 */
export function unaryService({ proto, name, methods, verify, logger }: UnaryServiceOptions): GrpcService {
  const definition = proto.client(name).service;
  const problems: string[] = [];
  const implementation: UntypedServiceImplementation = {};
  for (const [rpc, { path, requestStream, responseStream }] of Object.entries(definition)) {
    const method = methods[rpc];
    if (method === undefined) problems.push(`rpc ${rpc} has no method`);
    else if (requestStream || responseStream)
      problems.push(`rpc ${rpc} streams; only unary methods are supported`);
    else implementation[rpc] = method.bind({ path, verify, logger });
  }
  for (const key of Object.keys(methods)) {
    if (!Object.hasOwn(definition, key)) problems.push(`method ${key} is no rpc of the service`);
  }
  if (problems.length > 0) throw new Error(`${name}: ${problems.join('; ')}`);
  return { name, definition, implementation };
}
