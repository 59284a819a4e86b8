// Original file: proto/product.proto

import type { Quote as _ecom_product_v1_Quote, Quote__Output as _ecom_product_v1_Quote__Output } from '../../../ecom/product/v1/Quote';

export interface QuoteItemsResponse {
  'lines'?: (_ecom_product_v1_Quote)[];
}

export interface QuoteItemsResponse__Output {
  'lines': (_ecom_product_v1_Quote__Output)[];
}
