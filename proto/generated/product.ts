import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { GetProductRequest as _ecom_product_v1_GetProductRequest, GetProductRequest__Output as _ecom_product_v1_GetProductRequest__Output } from './ecom/product/v1/GetProductRequest';
import type { GetStockRequest as _ecom_product_v1_GetStockRequest, GetStockRequest__Output as _ecom_product_v1_GetStockRequest__Output } from './ecom/product/v1/GetStockRequest';
import type { ItemRequest as _ecom_product_v1_ItemRequest, ItemRequest__Output as _ecom_product_v1_ItemRequest__Output } from './ecom/product/v1/ItemRequest';
import type { ListProductsRequest as _ecom_product_v1_ListProductsRequest, ListProductsRequest__Output as _ecom_product_v1_ListProductsRequest__Output } from './ecom/product/v1/ListProductsRequest';
import type { ListProductsResponse as _ecom_product_v1_ListProductsResponse, ListProductsResponse__Output as _ecom_product_v1_ListProductsResponse__Output } from './ecom/product/v1/ListProductsResponse';
import type { Money as _ecom_product_v1_Money, Money__Output as _ecom_product_v1_Money__Output } from './ecom/product/v1/Money';
import type { Product as _ecom_product_v1_Product, Product__Output as _ecom_product_v1_Product__Output } from './ecom/product/v1/Product';
import type { ProductServiceClient as _ecom_product_v1_ProductServiceClient, ProductServiceDefinition as _ecom_product_v1_ProductServiceDefinition } from './ecom/product/v1/ProductService';
import type { Quote as _ecom_product_v1_Quote, Quote__Output as _ecom_product_v1_Quote__Output } from './ecom/product/v1/Quote';
import type { QuoteItemsRequest as _ecom_product_v1_QuoteItemsRequest, QuoteItemsRequest__Output as _ecom_product_v1_QuoteItemsRequest__Output } from './ecom/product/v1/QuoteItemsRequest';
import type { QuoteItemsResponse as _ecom_product_v1_QuoteItemsResponse, QuoteItemsResponse__Output as _ecom_product_v1_QuoteItemsResponse__Output } from './ecom/product/v1/QuoteItemsResponse';
import type { Stock as _ecom_product_v1_Stock, Stock__Output as _ecom_product_v1_Stock__Output } from './ecom/product/v1/Stock';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  ecom: {
    product: {
      v1: {
        GetProductRequest: MessageTypeDefinition<_ecom_product_v1_GetProductRequest, _ecom_product_v1_GetProductRequest__Output>
        GetStockRequest: MessageTypeDefinition<_ecom_product_v1_GetStockRequest, _ecom_product_v1_GetStockRequest__Output>
        ItemRequest: MessageTypeDefinition<_ecom_product_v1_ItemRequest, _ecom_product_v1_ItemRequest__Output>
        ListProductsRequest: MessageTypeDefinition<_ecom_product_v1_ListProductsRequest, _ecom_product_v1_ListProductsRequest__Output>
        ListProductsResponse: MessageTypeDefinition<_ecom_product_v1_ListProductsResponse, _ecom_product_v1_ListProductsResponse__Output>
        Money: MessageTypeDefinition<_ecom_product_v1_Money, _ecom_product_v1_Money__Output>
        Product: MessageTypeDefinition<_ecom_product_v1_Product, _ecom_product_v1_Product__Output>
        ProductService: SubtypeConstructor<typeof grpc.Client, _ecom_product_v1_ProductServiceClient> & { service: _ecom_product_v1_ProductServiceDefinition }
        Quote: MessageTypeDefinition<_ecom_product_v1_Quote, _ecom_product_v1_Quote__Output>
        QuoteItemsRequest: MessageTypeDefinition<_ecom_product_v1_QuoteItemsRequest, _ecom_product_v1_QuoteItemsRequest__Output>
        QuoteItemsResponse: MessageTypeDefinition<_ecom_product_v1_QuoteItemsResponse, _ecom_product_v1_QuoteItemsResponse__Output>
        Stock: MessageTypeDefinition<_ecom_product_v1_Stock, _ecom_product_v1_Stock__Output>
      }
    }
  }
}

