// Original file: proto/order.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetOrderRequest as _ecom_order_v1_GetOrderRequest, GetOrderRequest__Output as _ecom_order_v1_GetOrderRequest__Output } from '../../../ecom/order/v1/GetOrderRequest';
import type { ListOrdersRequest as _ecom_order_v1_ListOrdersRequest, ListOrdersRequest__Output as _ecom_order_v1_ListOrdersRequest__Output } from '../../../ecom/order/v1/ListOrdersRequest';
import type { ListOrdersResponse as _ecom_order_v1_ListOrdersResponse, ListOrdersResponse__Output as _ecom_order_v1_ListOrdersResponse__Output } from '../../../ecom/order/v1/ListOrdersResponse';
import type { Order as _ecom_order_v1_Order, Order__Output as _ecom_order_v1_Order__Output } from '../../../ecom/order/v1/Order';

export interface OrderServiceClient extends grpc.Client {
  /**
   * One order, to its customer or an admin. Anyone else, like an unknown id, gets NOT_FOUND (ORDER.NOT_FOUND): not
   * PERMISSION_DENIED, so a customer cannot probe which ids exist. An id that is not a UUID -> INVALID_ARGUMENT.
   */
  GetOrder(argument: _ecom_order_v1_GetOrderRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_order_v1_Order__Output>): grpc.ClientUnaryCall;
  GetOrder(argument: _ecom_order_v1_GetOrderRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ecom_order_v1_Order__Output>): grpc.ClientUnaryCall;
  GetOrder(argument: _ecom_order_v1_GetOrderRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_order_v1_Order__Output>): grpc.ClientUnaryCall;
  GetOrder(argument: _ecom_order_v1_GetOrderRequest, callback: grpc.requestCallback<_ecom_order_v1_Order__Output>): grpc.ClientUnaryCall;
  /**
   * One order, to its customer or an admin. Anyone else, like an unknown id, gets NOT_FOUND (ORDER.NOT_FOUND): not
   * PERMISSION_DENIED, so a customer cannot probe which ids exist. An id that is not a UUID -> INVALID_ARGUMENT.
   */
  getOrder(argument: _ecom_order_v1_GetOrderRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_order_v1_Order__Output>): grpc.ClientUnaryCall;
  getOrder(argument: _ecom_order_v1_GetOrderRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ecom_order_v1_Order__Output>): grpc.ClientUnaryCall;
  getOrder(argument: _ecom_order_v1_GetOrderRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_order_v1_Order__Output>): grpc.ClientUnaryCall;
  getOrder(argument: _ecom_order_v1_GetOrderRequest, callback: grpc.requestCallback<_ecom_order_v1_Order__Output>): grpc.ClientUnaryCall;
  
  /**
   * Orders, newest first, a page at a time, with the filters of GET /v1/orders: a customer's own (a user_id naming
   * someone else -> PERMISSION_DENIED), an admin's of anyone (user_id) or of the whole shop.
   */
  ListOrders(argument: _ecom_order_v1_ListOrdersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_order_v1_ListOrdersResponse__Output>): grpc.ClientUnaryCall;
  ListOrders(argument: _ecom_order_v1_ListOrdersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ecom_order_v1_ListOrdersResponse__Output>): grpc.ClientUnaryCall;
  ListOrders(argument: _ecom_order_v1_ListOrdersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_order_v1_ListOrdersResponse__Output>): grpc.ClientUnaryCall;
  ListOrders(argument: _ecom_order_v1_ListOrdersRequest, callback: grpc.requestCallback<_ecom_order_v1_ListOrdersResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Orders, newest first, a page at a time, with the filters of GET /v1/orders: a customer's own (a user_id naming
   * someone else -> PERMISSION_DENIED), an admin's of anyone (user_id) or of the whole shop.
   */
  listOrders(argument: _ecom_order_v1_ListOrdersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_order_v1_ListOrdersResponse__Output>): grpc.ClientUnaryCall;
  listOrders(argument: _ecom_order_v1_ListOrdersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ecom_order_v1_ListOrdersResponse__Output>): grpc.ClientUnaryCall;
  listOrders(argument: _ecom_order_v1_ListOrdersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ecom_order_v1_ListOrdersResponse__Output>): grpc.ClientUnaryCall;
  listOrders(argument: _ecom_order_v1_ListOrdersRequest, callback: grpc.requestCallback<_ecom_order_v1_ListOrdersResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface OrderServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * One order, to its customer or an admin. Anyone else, like an unknown id, gets NOT_FOUND (ORDER.NOT_FOUND): not
   * PERMISSION_DENIED, so a customer cannot probe which ids exist. An id that is not a UUID -> INVALID_ARGUMENT.
   */
  GetOrder: grpc.handleUnaryCall<_ecom_order_v1_GetOrderRequest__Output, _ecom_order_v1_Order>;
  
  /**
   * Orders, newest first, a page at a time, with the filters of GET /v1/orders: a customer's own (a user_id naming
   * someone else -> PERMISSION_DENIED), an admin's of anyone (user_id) or of the whole shop.
   */
  ListOrders: grpc.handleUnaryCall<_ecom_order_v1_ListOrdersRequest__Output, _ecom_order_v1_ListOrdersResponse>;
  
}

export interface OrderServiceDefinition extends grpc.ServiceDefinition {
  GetOrder: MethodDefinition<_ecom_order_v1_GetOrderRequest, _ecom_order_v1_Order, _ecom_order_v1_GetOrderRequest__Output, _ecom_order_v1_Order__Output>
  ListOrders: MethodDefinition<_ecom_order_v1_ListOrdersRequest, _ecom_order_v1_ListOrdersResponse, _ecom_order_v1_ListOrdersRequest__Output, _ecom_order_v1_ListOrdersResponse__Output>
}
