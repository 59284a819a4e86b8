import { ACCESS_TOKEN_TTL_SECONDS } from '../../../shared/domain/user/access-token-claims';
import type { Role } from '../../../shared/domain/user/roles';
import type { AccessTokenSigner } from '../../../shared/domain/user/token-pair';

/** An AccessTokenSigner without keys, and who it signed for. */
export interface FakeSigner {
  readonly sign: AccessTokenSigner;
  readonly signed: readonly { readonly userId: string; readonly role: Role }[];
}

/** The token the fake signer makes for the `n`th signature (from 1): it names the user and the role signed. */
export const fakeAccessToken = (user: { readonly userId: string; readonly role: Role }, n: number): string =>
  `access:${user.userId}:${user.role}:${n}`;

/** Signs with a readable fake token; `now` dates its expiry. */
export function fakeSigner(now: () => Date): FakeSigner {
  const signed: { userId: string; role: Role }[] = [];
  return {
    signed,
    sign(user) {
      signed.push({ userId: user.userId, role: user.role });
      return {
        token: fakeAccessToken(user, signed.length),
        tokenId: `jti-${signed.length}`,
        expiresAt: new Date(now().getTime() + ACCESS_TOKEN_TTL_SECONDS * 1000),
      };
    },
  };
}
