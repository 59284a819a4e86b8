// Original file: proto/order.proto

import type { Money as _ecom_order_v1_Money, Money__Output as _ecom_order_v1_Money__Output } from '../../../ecom/order/v1/Money';

export interface Payment {
  /**
   * AUTHORIZED, CAPTURED, FAILED or REFUNDED.
   */
  'status'?: (string);
  'amount'?: (_ecom_order_v1_Money | null);
  /**
   * The payment gateway's reference of the charge; empty for a declined one.
   */
  'reference'?: (string);
}

export interface Payment__Output {
  /**
   * AUTHORIZED, CAPTURED, FAILED or REFUNDED.
   */
  'status': (string);
  'amount': (_ecom_order_v1_Money__Output | null);
  /**
   * The payment gateway's reference of the charge; empty for a declined one.
   */
  'reference': (string);
}
