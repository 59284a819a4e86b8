// Original file: proto/product.proto


export interface ItemRequest {
  'productId'?: (string);
  'quantity'?: (number);
}

export interface ItemRequest__Output {
  'productId': (string);
  'quantity': (number);
}
