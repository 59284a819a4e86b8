// Original file: proto/product.proto

import type { Product as _ecom_product_v1_Product, Product__Output as _ecom_product_v1_Product__Output } from '../../../ecom/product/v1/Product';

export interface ListProductsResponse {
  'items'?: (_ecom_product_v1_Product)[];
  'page'?: (number);
  'pageSize'?: (number);
  'total'?: (number);
}

export interface ListProductsResponse__Output {
  'items': (_ecom_product_v1_Product__Output)[];
  'page': (number);
  'pageSize': (number);
  'total': (number);
}
