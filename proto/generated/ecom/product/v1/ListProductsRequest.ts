// Original file: proto/product.proto

import type { Long } from '@grpc/proto-loader';

export interface ListProductsRequest {
  /**
   * Words that must all appear in the name or description; the last may be a prefix. Empty: no text filter.
   */
  'q'?: (string);
  /**
   * The category and its whole subtree. Empty: any.
   */
  'categoryId'?: (string);
  /**
   * Inclusive bounds in minor units; 0 means no bound.
   */
  'minPrice'?: (number | string | Long);
  'maxPrice'?: (number | string | Long);
  /**
   * Only products with stock available.
   */
  'inStock'?: (boolean);
  /**
   * Empty or active.
   */
  'status'?: (string);
  /**
   * price, -price, name or -createdAt (default).
   */
  'sort'?: (string);
  /**
   * From 1; 0 means the default (1).
   */
  'page'?: (number);
  /**
   * 1..100; 0 means the default (20).
   */
  'pageSize'?: (number);
}

export interface ListProductsRequest__Output {
  /**
   * Words that must all appear in the name or description; the last may be a prefix. Empty: no text filter.
   */
  'q': (string);
  /**
   * The category and its whole subtree. Empty: any.
   */
  'categoryId': (string);
  /**
   * Inclusive bounds in minor units; 0 means no bound.
   */
  'minPrice': (number);
  'maxPrice': (number);
  /**
   * Only products with stock available.
   */
  'inStock': (boolean);
  /**
   * Empty or active.
   */
  'status': (string);
  /**
   * price, -price, name or -createdAt (default).
   */
  'sort': (string);
  /**
   * From 1; 0 means the default (1).
   */
  'page': (number);
  /**
   * 1..100; 0 means the default (20).
   */
  'pageSize': (number);
}
