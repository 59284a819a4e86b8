// Original file: proto/order.proto


export interface ShippingAddress {
  'name'?: (string);
  'line1'?: (string);
  /**
   * Empty when there is none.
   */
  'line2'?: (string);
  'city'?: (string);
  /**
   * Empty when there is none.
   */
  'region'?: (string);
  'postalCode'?: (string);
  /**
   * ISO 3166-1 alpha-2, upper case.
   */
  'country'?: (string);
}

export interface ShippingAddress__Output {
  'name': (string);
  'line1': (string);
  /**
   * Empty when there is none.
   */
  'line2': (string);
  'city': (string);
  /**
   * Empty when there is none.
   */
  'region': (string);
  'postalCode': (string);
  /**
   * ISO 3166-1 alpha-2, upper case.
   */
  'country': (string);
}
