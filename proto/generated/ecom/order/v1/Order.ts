// Original file: proto/order.proto

import type { OrderItem as _ecom_order_v1_OrderItem, OrderItem__Output as _ecom_order_v1_OrderItem__Output } from '../../../ecom/order/v1/OrderItem';
import type { Money as _ecom_order_v1_Money, Money__Output as _ecom_order_v1_Money__Output } from '../../../ecom/order/v1/Money';
import type { ShippingAddress as _ecom_order_v1_ShippingAddress, ShippingAddress__Output as _ecom_order_v1_ShippingAddress__Output } from '../../../ecom/order/v1/ShippingAddress';
import type { Payment as _ecom_order_v1_Payment, Payment__Output as _ecom_order_v1_Payment__Output } from '../../../ecom/order/v1/Payment';
import type { Shipment as _ecom_order_v1_Shipment, Shipment__Output as _ecom_order_v1_Shipment__Output } from '../../../ecom/order/v1/Shipment';
import type { Cancellation as _ecom_order_v1_Cancellation, Cancellation__Output as _ecom_order_v1_Cancellation__Output } from '../../../ecom/order/v1/Cancellation';

export interface Order {
  'id'?: (string);
  /**
   * The user who placed it.
   */
  'customerId'?: (string);
  /**
   * PENDING, RESERVED, PAID, SHIPPED, DELIVERED, CANCELLING or CANCELLED.
   */
  'status'?: (string);
  /**
   * The lines, in the order they were asked for, priced by the catalogue when the order was placed.
   */
  'items'?: (_ecom_order_v1_OrderItem)[];
  'total'?: (_ecom_order_v1_Money | null);
  'shippingAddress'?: (_ecom_order_v1_ShippingAddress | null);
  /**
   * Absent until a payment was attempted.
   */
  'payment'?: (_ecom_order_v1_Payment | null);
  /**
   * Absent until the order ships.
   */
  'shipment'?: (_ecom_order_v1_Shipment | null);
  /**
   * Absent unless the order is cancelled or being cancelled.
   */
  'cancellation'?: (_ecom_order_v1_Cancellation | null);
  /**
   * RFC 3339 in UTC with milliseconds, as the HTTP API writes them.
   */
  'createdAt'?: (string);
}

export interface Order__Output {
  'id': (string);
  /**
   * The user who placed it.
   */
  'customerId': (string);
  /**
   * PENDING, RESERVED, PAID, SHIPPED, DELIVERED, CANCELLING or CANCELLED.
   */
  'status': (string);
  /**
   * The lines, in the order they were asked for, priced by the catalogue when the order was placed.
   */
  'items': (_ecom_order_v1_OrderItem__Output)[];
  'total': (_ecom_order_v1_Money__Output | null);
  'shippingAddress': (_ecom_order_v1_ShippingAddress__Output | null);
  /**
   * Absent until a payment was attempted.
   */
  'payment': (_ecom_order_v1_Payment__Output | null);
  /**
   * Absent until the order ships.
   */
  'shipment': (_ecom_order_v1_Shipment__Output | null);
  /**
   * Absent unless the order is cancelled or being cancelled.
   */
  'cancellation': (_ecom_order_v1_Cancellation__Output | null);
  /**
   * RFC 3339 in UTC with milliseconds, as the HTTP API writes them.
   */
  'createdAt': (string);
}
