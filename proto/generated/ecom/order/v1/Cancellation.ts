// Original file: proto/order.proto


export interface Cancellation {
  /**
   * Why: as the order.cancelled event names it.
   */
  'reason'?: (string);
  /**
   * RFC 3339.
   */
  'at'?: (string);
}

export interface Cancellation__Output {
  /**
   * Why: as the order.cancelled event names it.
   */
  'reason': (string);
  /**
   * RFC 3339.
   */
  'at': (string);
}
