import { status, type handleServerStreamingCall, type handleUnaryCall } from '@grpc/grpc-js';
import { z } from 'zod';
import type { GrpcService } from './grpc-service';
import type { HealthStatus, ServingStatus } from './health-status';
import type { LoadedProto } from './load-proto';

/** The standard health service's name, as probes (Kubernetes gRPC probes, grpc-health-probe) call it. */
export const HEALTH_SERVICE_NAME = 'grpc.health.v1.Health';
/** Its proto, relative to the proto directory. */
export const HEALTH_PROTO = 'grpc/health/v1/health.proto';

const HealthCheckRequest = z.object({ service: z.string() });
// Protos load with defaults, so `service` is always there; a malformed request still reads as the whole server.
const serviceOf = (request: unknown): string => HealthCheckRequest.safeParse(request).data?.service ?? '';
interface HealthCheckResponse {
  readonly status: ServingStatus;
}

/**
 * The standard gRPC health service (https://github.com/grpc/grpc/blob/master/doc/health-checking.md) over a
 * {@link HealthStatus}: public, as probes carry no token. Check answers the status, or NOT_FOUND for an unknown
 * service; Watch sends the current status (SERVICE_UNKNOWN if none), then each change, until the caller cancels or
 * the server shuts down (then it ends with UNAVAILABLE, which tells the client to retry elsewhere).
 */
export function healthService(proto: LoadedProto, health: HealthStatus): GrpcService {
  const check: handleUnaryCall<unknown, HealthCheckResponse> = (call, callback) => {
    const service = serviceOf(call.request);
    const current = health.get(service);
    if (current === undefined) callback({ code: status.NOT_FOUND, details: `Unknown service: ${service}` });
    else callback(null, { status: current });
  };

  const watch: handleServerStreamingCall<unknown, HealthCheckResponse> = (call) => {
    const service = serviceOf(call.request);
    const send = (current: ServingStatus) => {
      call.write({ status: current });
    };
    const close = () => {
      call.emit('error', { code: status.UNAVAILABLE, details: 'Server is shutting down' });
    };
    send(health.get(service) ?? 'SERVICE_UNKNOWN');
    if (health.isShuttingDown) {
      close();
      return;
    }
    const unwatch = health.watch(service, { onStatus: send, onClose: close });
    call.once('cancelled', unwatch);
  };

  return {
    name: HEALTH_SERVICE_NAME,
    definition: proto.client(HEALTH_SERVICE_NAME).service,
    implementation: { Check: check, Watch: watch },
  };
}
