// Original file: proto/order.proto


export interface Shipment {
  'carrier'?: (string);
  'trackingNumber'?: (string);
  /**
   * RFC 3339.
   */
  'shippedAt'?: (string);
  /**
   * RFC 3339; empty until delivered.
   */
  'deliveredAt'?: (string);
}

export interface Shipment__Output {
  'carrier': (string);
  'trackingNumber': (string);
  /**
   * RFC 3339.
   */
  'shippedAt': (string);
  /**
   * RFC 3339; empty until delivered.
   */
  'deliveredAt': (string);
}
