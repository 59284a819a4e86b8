// Original file: proto/order.proto

import type { Long } from '@grpc/proto-loader';

export interface Money {
  'amount'?: (number | string | Long);
  /**
   * ISO 4217, upper case.
   */
  'currency'?: (string);
}

export interface Money__Output {
  'amount': (number);
  /**
   * ISO 4217, upper case.
   */
  'currency': (string);
}
