import { rpcOf } from '../tracing/grpc-spans';
import { RPC_GRPC_STATUS_CODE, RPC_METHOD, RPC_SERVICE, RPC_SYSTEM } from '../tracing/span-attributes';
import { DURATION_BUCKETS_S, lazyInstruments, secondsSince } from './meter';

const instruments = lazyInstruments((meter) => ({
  duration: meter.createHistogram('rpc.server.call.duration', {
    unit: 's',
    description: 'Duration of gRPC calls a sidecar answered.',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS_S },
  }),
}));

/**
 * Records one answered gRPC call in `rpc.server.call.duration` (seconds), by service, method and status code (0 is
 * OK), as its span says them (shared/tracing/grpc-spans.ts). The path is the method the server declared: a call to an
 * unknown one never reaches a handler, so a caller cannot make up series.
 */
export function recordRpcCall(path: string, code: number, startedAt: number): void {
  const { service, method } = rpcOf(path);
  instruments().duration.record(secondsSince(startedAt), {
    [RPC_SYSTEM]: 'grpc',
    [RPC_SERVICE]: service,
    [RPC_METHOD]: method,
    [RPC_GRPC_STATUS_CODE]: code,
  });
}
