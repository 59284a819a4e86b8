// Original file: proto/product.proto

import type { Money as _ecom_product_v1_Money, Money__Output as _ecom_product_v1_Money__Output } from '../../../ecom/product/v1/Money';

export interface Quote {
  'productId'?: (string);
  'quantity'?: (number);
  /**
   * Whether the product exists (and was not deleted); the other fields are empty when it does not.
   */
  'found'?: (boolean);
  'sku'?: (string);
  'name'?: (string);
  'unitPrice'?: (_ecom_product_v1_Money | null);
  /**
   * Whether it can be sold now: active.
   */
  'active'?: (boolean);
  /**
   * Units on hand not reserved for other orders.
   */
  'available'?: (number);
}

export interface Quote__Output {
  'productId': (string);
  'quantity': (number);
  /**
   * Whether the product exists (and was not deleted); the other fields are empty when it does not.
   */
  'found': (boolean);
  'sku': (string);
  'name': (string);
  'unitPrice': (_ecom_product_v1_Money__Output | null);
  /**
   * Whether it can be sold now: active.
   */
  'active': (boolean);
  /**
   * Units on hand not reserved for other orders.
   */
  'available': (number);
}
