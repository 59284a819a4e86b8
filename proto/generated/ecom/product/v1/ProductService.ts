// Original file: proto/product.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetProductRequest as _ecom_product_v1_GetProductRequest, GetProductRequest__Output as _ecom_product_v1_GetProductRequest__Output } from '../../../ecom/product/v1/GetProductRequest';
import type { GetStockRequest as _ecom_product_v1_GetStockRequest, GetStockRequest__Output as _ecom_product_v1_GetStockRequest__Output } from '../../../ecom/product/v1/GetStockRequest';
import type { ListProductsRequest as _ecom_product_v1_ListProductsRequest, ListProductsRequest__Output as _ecom_product_v1_ListProductsRequest__Output } from '../../../ecom/product/v1/ListProductsRequest';
import type { ListProductsResponse as _ecom_product_v1_ListProductsResponse, ListProductsResponse__Output as _ecom_product_v1_ListProductsResponse__Output } from '../../../ecom/product/v1/ListProductsResponse';
import type { Product as _ecom_product_v1_Product, Product__Output as _ecom_product_v1_Product__Output } from '../../../ecom/product/v1/Product';
import type { QuoteItemsRequest as _ecom_product_v1_QuoteItemsRequest, QuoteItemsRequest__Output as _ecom_product_v1_QuoteItemsRequest__Output } from '../../../ecom/product/v1/QuoteItemsRequest';
import type { QuoteItemsResponse as _ecom_product_v1_QuoteItemsResponse, QuoteItemsResponse__Output as _ecom_product_v1_QuoteItemsResponse__Output } from '../../../ecom/product/v1/QuoteItemsResponse';
import type { Stock as _ecom_product_v1_Stock, Stock__Output as _ecom_product_v1_Stock__Output } from '../../../ecom/product/v1/Stock';

export interface ProductServiceClient extends grpc.Client {
  /**
   * One active product, to anyone (no token needed). Unknown, deleted, draft or archived -> NOT_FOUND
   * (PRODUCT.NOT_FOUND); admins read the others over HTTP.
   */
  GetProduct(argument: _ecom_product_v1_GetProductRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_product_v1_Product__Output>): grpc.ClientUnaryCall;
  GetProduct(argument: _ecom_product_v1_GetProductRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ecom_product_v1_Product__Output>): grpc.ClientUnaryCall;
  GetProduct(argument: _ecom_product_v1_GetProductRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_product_v1_Product__Output>): grpc.ClientUnaryCall;
  GetProduct(argument: _ecom_product_v1_GetProductRequest, callback: grpc.requestCallback<_ecom_product_v1_Product__Output>): grpc.ClientUnaryCall;
  /**
   * One active product, to anyone (no token needed). Unknown, deleted, draft or archived -> NOT_FOUND
   * (PRODUCT.NOT_FOUND); admins read the others over HTTP.
   */
  getProduct(argument: _ecom_product_v1_GetProductRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_product_v1_Product__Output>): grpc.ClientUnaryCall;
  getProduct(argument: _ecom_product_v1_GetProductRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ecom_product_v1_Product__Output>): grpc.ClientUnaryCall;
  getProduct(argument: _ecom_product_v1_GetProductRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_product_v1_Product__Output>): grpc.ClientUnaryCall;
  getProduct(argument: _ecom_product_v1_GetProductRequest, callback: grpc.requestCallback<_ecom_product_v1_Product__Output>): grpc.ClientUnaryCall;
  
  /**
   * A product's stock levels. Admins only (PERMISSION_DENIED otherwise); unknown -> NOT_FOUND.
   */
  GetStock(argument: _ecom_product_v1_GetStockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_product_v1_Stock__Output>): grpc.ClientUnaryCall;
  GetStock(argument: _ecom_product_v1_GetStockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ecom_product_v1_Stock__Output>): grpc.ClientUnaryCall;
  GetStock(argument: _ecom_product_v1_GetStockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_product_v1_Stock__Output>): grpc.ClientUnaryCall;
  GetStock(argument: _ecom_product_v1_GetStockRequest, callback: grpc.requestCallback<_ecom_product_v1_Stock__Output>): grpc.ClientUnaryCall;
  /**
   * A product's stock levels. Admins only (PERMISSION_DENIED otherwise); unknown -> NOT_FOUND.
   */
  getStock(argument: _ecom_product_v1_GetStockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_product_v1_Stock__Output>): grpc.ClientUnaryCall;
  getStock(argument: _ecom_product_v1_GetStockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ecom_product_v1_Stock__Output>): grpc.ClientUnaryCall;
  getStock(argument: _ecom_product_v1_GetStockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_product_v1_Stock__Output>): grpc.ClientUnaryCall;
  getStock(argument: _ecom_product_v1_GetStockRequest, callback: grpc.requestCallback<_ecom_product_v1_Stock__Output>): grpc.ClientUnaryCall;
  
  /**
   * The active catalogue, with the filters of GET /v1/products, to anyone (no token needed). A `status` other than
   * active -> PERMISSION_DENIED: admins list the others over HTTP.
   */
  ListProducts(argument: _ecom_product_v1_ListProductsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_product_v1_ListProductsResponse__Output>): grpc.ClientUnaryCall;
  ListProducts(argument: _ecom_product_v1_ListProductsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ecom_product_v1_ListProductsResponse__Output>): grpc.ClientUnaryCall;
  ListProducts(argument: _ecom_product_v1_ListProductsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_product_v1_ListProductsResponse__Output>): grpc.ClientUnaryCall;
  ListProducts(argument: _ecom_product_v1_ListProductsRequest, callback: grpc.requestCallback<_ecom_product_v1_ListProductsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The active catalogue, with the filters of GET /v1/products, to anyone (no token needed). A `status` other than
   * active -> PERMISSION_DENIED: admins list the others over HTTP.
   */
  listProducts(argument: _ecom_product_v1_ListProductsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_product_v1_ListProductsResponse__Output>): grpc.ClientUnaryCall;
  listProducts(argument: _ecom_product_v1_ListProductsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ecom_product_v1_ListProductsResponse__Output>): grpc.ClientUnaryCall;
  listProducts(argument: _ecom_product_v1_ListProductsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_product_v1_ListProductsResponse__Output>): grpc.ClientUnaryCall;
  listProducts(argument: _ecom_product_v1_ListProductsRequest, callback: grpc.requestCallback<_ecom_product_v1_ListProductsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The current terms of an order's lines: for each, the unit price, sku, name, whether it can be sold, and the
   * stock available. Any signed-in caller (place-order forwards its customer's token). Every line is answered, in
   * the order asked; a product that does not exist (or was deleted) answers found = false.
   */
  QuoteItems(argument: _ecom_product_v1_QuoteItemsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_product_v1_QuoteItemsResponse__Output>): grpc.ClientUnaryCall;
  QuoteItems(argument: _ecom_product_v1_QuoteItemsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ecom_product_v1_QuoteItemsResponse__Output>): grpc.ClientUnaryCall;
  QuoteItems(argument: _ecom_product_v1_QuoteItemsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_product_v1_QuoteItemsResponse__Output>): grpc.ClientUnaryCall;
  QuoteItems(argument: _ecom_product_v1_QuoteItemsRequest, callback: grpc.requestCallback<_ecom_product_v1_QuoteItemsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The current terms of an order's lines: for each, the unit price, sku, name, whether it can be sold, and the
   * stock available. Any signed-in caller (place-order forwards its customer's token). Every line is answered, in
   * the order asked; a product that does not exist (or was deleted) answers found = false.
   */
  quoteItems(argument: _ecom_product_v1_QuoteItemsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_product_v1_QuoteItemsResponse__Output>): grpc.ClientUnaryCall;
  quoteItems(argument: _ecom_product_v1_QuoteItemsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ecom_product_v1_QuoteItemsResponse__Output>): grpc.ClientUnaryCall;
  quoteItems(argument: _ecom_product_v1_QuoteItemsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_product_v1_QuoteItemsResponse__Output>): grpc.ClientUnaryCall;
  quoteItems(argument: _ecom_product_v1_QuoteItemsRequest, callback: grpc.requestCallback<_ecom_product_v1_QuoteItemsResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface ProductServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * One active product, to anyone (no token needed). Unknown, deleted, draft or archived -> NOT_FOUND
   * (PRODUCT.NOT_FOUND); admins read the others over HTTP.
   */
  GetProduct: grpc.handleUnaryCall<_ecom_product_v1_GetProductRequest__Output, _ecom_product_v1_Product>;
  
  /**
   * A product's stock levels. Admins only (PERMISSION_DENIED otherwise); unknown -> NOT_FOUND.
   */
  GetStock: grpc.handleUnaryCall<_ecom_product_v1_GetStockRequest__Output, _ecom_product_v1_Stock>;
  
  /**
   * The active catalogue, with the filters of GET /v1/products, to anyone (no token needed). A `status` other than
   * active -> PERMISSION_DENIED: admins list the others over HTTP.
   */
  ListProducts: grpc.handleUnaryCall<_ecom_product_v1_ListProductsRequest__Output, _ecom_product_v1_ListProductsResponse>;
  
  /**
   * The current terms of an order's lines: for each, the unit price, sku, name, whether it can be sold, and the
   * stock available. Any signed-in caller (place-order forwards its customer's token). Every line is answered, in
   * the order asked; a product that does not exist (or was deleted) answers found = false.
   */
  QuoteItems: grpc.handleUnaryCall<_ecom_product_v1_QuoteItemsRequest__Output, _ecom_product_v1_QuoteItemsResponse>;
  
}

export interface ProductServiceDefinition extends grpc.ServiceDefinition {
  GetProduct: MethodDefinition<_ecom_product_v1_GetProductRequest, _ecom_product_v1_Product, _ecom_product_v1_GetProductRequest__Output, _ecom_product_v1_Product__Output>
  GetStock: MethodDefinition<_ecom_product_v1_GetStockRequest, _ecom_product_v1_Stock, _ecom_product_v1_GetStockRequest__Output, _ecom_product_v1_Stock__Output>
  ListProducts: MethodDefinition<_ecom_product_v1_ListProductsRequest, _ecom_product_v1_ListProductsResponse, _ecom_product_v1_ListProductsRequest__Output, _ecom_product_v1_ListProductsResponse__Output>
  QuoteItems: MethodDefinition<_ecom_product_v1_QuoteItemsRequest, _ecom_product_v1_QuoteItemsResponse, _ecom_product_v1_QuoteItemsRequest__Output, _ecom_product_v1_QuoteItemsResponse__Output>
}
