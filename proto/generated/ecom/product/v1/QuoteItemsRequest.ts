// Original file: proto/product.proto

import type { ItemRequest as _ecom_product_v1_ItemRequest, ItemRequest__Output as _ecom_product_v1_ItemRequest__Output } from '../../../ecom/product/v1/ItemRequest';

export interface QuoteItemsRequest {
  'items'?: (_ecom_product_v1_ItemRequest)[];
}

export interface QuoteItemsRequest__Output {
  'items': (_ecom_product_v1_ItemRequest__Output)[];
}
