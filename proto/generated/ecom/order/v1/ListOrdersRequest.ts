// Original file: proto/order.proto


export interface ListOrdersRequest {
  /**
   * From 1; 0 means the default (1).
   */
  'page'?: (number);
  /**
   * 1..100; 0 means the default (20).
   */
  'pageSize'?: (number);
  /**
   * One of the statuses of Order.status. Empty: any.
   */
  'status'?: (string);
  /**
   * The customer whose orders to list. Empty: the caller's own for a customer, every customer's for an admin.
   */
  'userId'?: (string);
  /**
   * Placed at or after / before this RFC 3339 time (with an offset). Empty: no bound.
   */
  'from'?: (string);
  'to'?: (string);
}

export interface ListOrdersRequest__Output {
  /**
   * From 1; 0 means the default (1).
   */
  'page': (number);
  /**
   * 1..100; 0 means the default (20).
   */
  'pageSize': (number);
  /**
   * One of the statuses of Order.status. Empty: any.
   */
  'status': (string);
  /**
   * The customer whose orders to list. Empty: the caller's own for a customer, every customer's for an admin.
   */
  'userId': (string);
  /**
   * Placed at or after / before this RFC 3339 time (with an offset). Empty: no bound.
   */
  'from': (string);
  'to': (string);
}
