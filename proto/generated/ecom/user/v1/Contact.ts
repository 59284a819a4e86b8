// Original file: proto/user.proto


export interface Contact {
  'userId'?: (string);
  /**
   * Where the user's mail goes: the address of their account, never one named in an event.
   */
  'email'?: (string);
  /**
   * Display name, as the user typed it: plain text, to be escaped wherever markup is made.
   */
  'name'?: (string);
}

export interface Contact__Output {
  'userId': (string);
  /**
   * Where the user's mail goes: the address of their account, never one named in an event.
   */
  'email': (string);
  /**
   * Display name, as the user typed it: plain text, to be escaped wherever markup is made.
   */
  'name': (string);
}
