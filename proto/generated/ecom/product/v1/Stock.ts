// Original file: proto/product.proto


export interface Stock {
  'productId'?: (string);
  'onHand'?: (number);
  'reserved'?: (number);
  'available'?: (number);
}

export interface Stock__Output {
  'productId': (string);
  'onHand': (number);
  'reserved': (number);
  'available': (number);
}
