import type { z } from 'zod';
import { AccessTokenVerifierEnv } from '../../../shared/auth/verifier-config';
import { OrderServiceEnv } from '../order-config';

/**
 * The config of order-query: the order service's stores, and what verifying access tokens needs. Extending the
 * verifier's schema (rather than spreading its shape) keeps its refusal of the dev key in production.
 */
export const OrderQueryEnv = AccessTokenVerifierEnv.extend(OrderServiceEnv.shape);
export type OrderQueryEnv = z.infer<typeof OrderQueryEnv>;
