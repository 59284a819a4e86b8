import { z } from 'zod';
import type { ProductServiceDefinition } from '../../proto/generated/ecom/product/v1/ProductService';
import type { Logger } from '../domain/logger';
import type { ShutdownHooks } from '../runtime/shutdown';
import type { GrpcClient } from './grpc-client';
import { lazyGrpcClient } from './lazy-grpc-client';

/** Where the product service's gRPC sidecar answers: what the order service prices its orders with. */
export const ProductGrpcEnv = z.object({
  /** `host:port`, e.g. `product-grpc.ecom.svc.cluster.local:80` on the cluster. */
  PRODUCT_GRPC_ADDRESS: z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'host:port'),
});
export type ProductGrpcEnv = z.infer<typeof ProductGrpcEnv>;

/**
 * The deadline of a call to product-grpc, retries included: long enough for the sidecar to start from zero, as
 * for user-grpc (user-grpc-client.ts).
 */
export const PRODUCT_GRPC_DEADLINE_MS = 5000;

/** A client of the product service's gRPC API at `address` (PRODUCT_GRPC_ADDRESS), made on first use. */
export function lazyProductGrpcClient(
  address: string,
  options: { readonly logger: Logger; readonly hooks: ShutdownHooks },
): () => Promise<GrpcClient<ProductServiceDefinition>> {
  return lazyGrpcClient<ProductServiceDefinition>({
    protoFile: 'product.proto',
    service: 'ecom.product.v1.ProductService',
    address,
    deadlineMs: PRODUCT_GRPC_DEADLINE_MS,
    ...options,
  });
}
