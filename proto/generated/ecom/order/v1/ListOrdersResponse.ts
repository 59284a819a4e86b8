// Original file: proto/order.proto

import type { Order as _ecom_order_v1_Order, Order__Output as _ecom_order_v1_Order__Output } from '../../../ecom/order/v1/Order';

export interface ListOrdersResponse {
  /**
   * At most page_size orders, newest first.
   */
  'items'?: (_ecom_order_v1_Order)[];
  'page'?: (number);
  'pageSize'?: (number);
  /**
   * Orders in all pages.
   */
  'total'?: (number);
}

export interface ListOrdersResponse__Output {
  /**
   * At most page_size orders, newest first.
   */
  'items': (_ecom_order_v1_Order__Output)[];
  'page': (number);
  'pageSize': (number);
  /**
   * Orders in all pages.
   */
  'total': (number);
}
