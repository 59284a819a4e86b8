/**
 * An event the broker gave up delivering, as the dead-letter topic keeps it: the event's attributes (never its
 * data, which a dead-letter reader has no schema for) and what Knative wrote beside them about the failure.
 */
export interface ReceivedDeadLetter {
  readonly id: string;
  readonly type: string;
  readonly source: string;
  readonly subject: string | undefined;
  /** Where the broker last tried to deliver it (Knative's `knativeerrordest`); undefined when it does not say. */
  readonly destination: string | undefined;
  /** The function's name when the destination is a Knative Service's address (`http://<name>.<namespace>.svc…`). */
  readonly subscriber: string | undefined;
  /** The destination's last status (`knativeerrorcode`); undefined when it never answered. */
  readonly status: number | undefined;
  /** The problem code of that answer when it was one of ours (`knativeerrordata`, problem+json). */
  readonly problemCode: string | undefined;
}
