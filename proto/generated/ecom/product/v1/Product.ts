// Original file: proto/product.proto

import type { Money as _ecom_product_v1_Money, Money__Output as _ecom_product_v1_Money__Output } from '../../../ecom/product/v1/Money';

export interface Product {
  'id'?: (string);
  'sku'?: (string);
  'name'?: (string);
  'description'?: (string);
  'price'?: (_ecom_product_v1_Money | null);
  /**
   * Empty when the product is in no category.
   */
  'categoryId'?: (string);
  /**
   * Empty when it has no image.
   */
  'imageUrl'?: (string);
  /**
   * draft, active or archived.
   */
  'status'?: (string);
  'reorderLevel'?: (number);
  /**
   * RFC 3339 in UTC with milliseconds, as the HTTP API writes them.
   */
  'createdAt'?: (string);
  'updatedAt'?: (string);
}

export interface Product__Output {
  'id': (string);
  'sku': (string);
  'name': (string);
  'description': (string);
  'price': (_ecom_product_v1_Money__Output | null);
  /**
   * Empty when the product is in no category.
   */
  'categoryId': (string);
  /**
   * Empty when it has no image.
   */
  'imageUrl': (string);
  /**
   * draft, active or archived.
   */
  'status': (string);
  'reorderLevel': (number);
  /**
   * RFC 3339 in UTC with milliseconds, as the HTTP API writes them.
   */
  'createdAt': (string);
  'updatedAt': (string);
}
