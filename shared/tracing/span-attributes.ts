/**
 * The attribute names our spans carry, as OpenTelemetry's semantic conventions spell them. Written out rather than
 * imported from @opentelemetry/semantic-conventions, whose CommonJS entry is large, so that the runtimes stay cheap
 * to load. Never a header, a body, a query string, a token or an e-mail address.
 */
export const HTTP_REQUEST_METHOD = 'http.request.method';
export const HTTP_ROUTE = 'http.route';
export const HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
export const URL_PATH = 'url.path';
export const ERROR_TYPE = 'error.type';

export const MESSAGING_SYSTEM = 'messaging.system';
export const MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
export const CLOUDEVENTS_EVENT_ID = 'cloudevents.event_id';
export const CLOUDEVENTS_EVENT_TYPE = 'cloudevents.event_type';
/** processed, duplicate or refused (ours: no convention says what a consumer did with an event). */
export const DELIVERY_OUTCOME = 'ecom.delivery.outcome';
/** The event had been handled already: a redelivery, which the consumer acknowledged without applying it again. */
export const DELIVERY_DUPLICATE = 'ecom.delivery.duplicate';
/**
 * Not the event's first delivery: this instance answered an earlier attempt with a status the broker retries, or the
 * event was handled already. The Knative Kafka broker sends no attempt count (shared/runtime/delivery-attempts.ts).
 */
export const DELIVERY_RETRY = 'ecom.delivery.retry';
/** The attempt number as this instance counts it (1 for a first delivery, as far as it knows). */
export const DELIVERY_ATTEMPT = 'ecom.delivery.attempt';

export const RPC_SYSTEM = 'rpc.system';
export const RPC_SERVICE = 'rpc.service';
export const RPC_METHOD = 'rpc.method';
export const RPC_GRPC_STATUS_CODE = 'rpc.grpc.status_code';

/** The function a dead letter could not be delivered to (from Knative's `knativeerrordest`). */
export const DEAD_LETTER_SUBSCRIBER = 'ecom.dead_letter.subscriber';
