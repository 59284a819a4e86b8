// Original file: proto/product.proto


export interface GetProductRequest {
  'id'?: (string);
}

export interface GetProductRequest__Output {
  'id': (string);
}
