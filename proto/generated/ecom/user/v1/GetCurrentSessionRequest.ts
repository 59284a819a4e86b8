// Original file: proto/user.proto


/**
 * Nothing: the session is the one of the token in the `authorization` metadata.
 */
export interface GetCurrentSessionRequest {
}

/**
 * Nothing: the session is the one of the token in the `authorization` metadata.
 */
export interface GetCurrentSessionRequest__Output {
}
