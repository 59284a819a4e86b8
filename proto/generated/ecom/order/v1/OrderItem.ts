// Original file: proto/order.proto

import type { Money as _ecom_order_v1_Money, Money__Output as _ecom_order_v1_Money__Output } from '../../../ecom/order/v1/Money';

export interface OrderItem {
  'productId'?: (string);
  'sku'?: (string);
  'name'?: (string);
  'unitPrice'?: (_ecom_order_v1_Money | null);
  'quantity'?: (number);
  /**
   * unit_price times quantity.
   */
  'lineTotal'?: (_ecom_order_v1_Money | null);
}

export interface OrderItem__Output {
  'productId': (string);
  'sku': (string);
  'name': (string);
  'unitPrice': (_ecom_order_v1_Money__Output | null);
  'quantity': (number);
  /**
   * unit_price times quantity.
   */
  'lineTotal': (_ecom_order_v1_Money__Output | null);
}
