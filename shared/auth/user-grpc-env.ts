import { z } from 'zod';

/** Where the user service's gRPC sidecar answers: what another service's admin-only routes confirm sessions with. */
export const UserGrpcEnv = z.object({
  /** `host:port`, e.g. `user-grpc.ecom.svc.cluster.local:80` on the cluster. */
  USER_GRPC_ADDRESS: z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'host:port'),
});
export type UserGrpcEnv = z.infer<typeof UserGrpcEnv>;
