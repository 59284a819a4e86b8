import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Cancellation as _ecom_order_v1_Cancellation, Cancellation__Output as _ecom_order_v1_Cancellation__Output } from './ecom/order/v1/Cancellation';
import type { GetOrderRequest as _ecom_order_v1_GetOrderRequest, GetOrderRequest__Output as _ecom_order_v1_GetOrderRequest__Output } from './ecom/order/v1/GetOrderRequest';
import type { ListOrdersRequest as _ecom_order_v1_ListOrdersRequest, ListOrdersRequest__Output as _ecom_order_v1_ListOrdersRequest__Output } from './ecom/order/v1/ListOrdersRequest';
import type { ListOrdersResponse as _ecom_order_v1_ListOrdersResponse, ListOrdersResponse__Output as _ecom_order_v1_ListOrdersResponse__Output } from './ecom/order/v1/ListOrdersResponse';
import type { Money as _ecom_order_v1_Money, Money__Output as _ecom_order_v1_Money__Output } from './ecom/order/v1/Money';
import type { Order as _ecom_order_v1_Order, Order__Output as _ecom_order_v1_Order__Output } from './ecom/order/v1/Order';
import type { OrderItem as _ecom_order_v1_OrderItem, OrderItem__Output as _ecom_order_v1_OrderItem__Output } from './ecom/order/v1/OrderItem';
import type { OrderServiceClient as _ecom_order_v1_OrderServiceClient, OrderServiceDefinition as _ecom_order_v1_OrderServiceDefinition } from './ecom/order/v1/OrderService';
import type { Payment as _ecom_order_v1_Payment, Payment__Output as _ecom_order_v1_Payment__Output } from './ecom/order/v1/Payment';
import type { Shipment as _ecom_order_v1_Shipment, Shipment__Output as _ecom_order_v1_Shipment__Output } from './ecom/order/v1/Shipment';
import type { ShippingAddress as _ecom_order_v1_ShippingAddress, ShippingAddress__Output as _ecom_order_v1_ShippingAddress__Output } from './ecom/order/v1/ShippingAddress';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  ecom: {
    order: {
      v1: {
        Cancellation: MessageTypeDefinition<_ecom_order_v1_Cancellation, _ecom_order_v1_Cancellation__Output>
        GetOrderRequest: MessageTypeDefinition<_ecom_order_v1_GetOrderRequest, _ecom_order_v1_GetOrderRequest__Output>
        ListOrdersRequest: MessageTypeDefinition<_ecom_order_v1_ListOrdersRequest, _ecom_order_v1_ListOrdersRequest__Output>
        ListOrdersResponse: MessageTypeDefinition<_ecom_order_v1_ListOrdersResponse, _ecom_order_v1_ListOrdersResponse__Output>
        Money: MessageTypeDefinition<_ecom_order_v1_Money, _ecom_order_v1_Money__Output>
        Order: MessageTypeDefinition<_ecom_order_v1_Order, _ecom_order_v1_Order__Output>
        OrderItem: MessageTypeDefinition<_ecom_order_v1_OrderItem, _ecom_order_v1_OrderItem__Output>
        OrderService: SubtypeConstructor<typeof grpc.Client, _ecom_order_v1_OrderServiceClient> & { service: _ecom_order_v1_OrderServiceDefinition }
        Payment: MessageTypeDefinition<_ecom_order_v1_Payment, _ecom_order_v1_Payment__Output>
        Shipment: MessageTypeDefinition<_ecom_order_v1_Shipment, _ecom_order_v1_Shipment__Output>
        ShippingAddress: MessageTypeDefinition<_ecom_order_v1_ShippingAddress, _ecom_order_v1_ShippingAddress__Output>
      }
    }
  }
}

