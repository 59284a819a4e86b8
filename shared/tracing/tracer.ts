import { trace, type Tracer } from '@opentelemetry/api';

/**
 * The tracer everything in this project starts spans with. Asked for at each use rather than kept, so it follows the
 * provider registered at start (start-tracing.ts); with tracing off it is the API's no-op tracer.
 */
export function tracer(): Tracer {
  return trace.getTracer('ecom');
}
