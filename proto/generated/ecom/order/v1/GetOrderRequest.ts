// Original file: proto/order.proto


export interface GetOrderRequest {
  /**
   * Required: the order, a UUID.
   */
  'id'?: (string);
}

export interface GetOrderRequest__Output {
  /**
   * Required: the order, a UUID.
   */
  'id': (string);
}
