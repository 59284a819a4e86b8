/**
 * DEV ONLY. A committed ES256 (EC P-256) key pair so the laptop stack signs and verifies access tokens with no
 * setup. Everyone can read these keys, so a token they sign proves nothing: the auth configs use them as
 * defaults only, and refuse them (and any value equal to them) when NODE_ENV=production.
 *
 * Generated with node:crypto: `generateKeyPairSync('ec', { namedCurve: 'P-256' })`, SPKI / PKCS#8 PEM.
 */

/** DEV ONLY: the public half of the committed dev key pair (default of JWT_PUBLIC_KEY). */
export const DEV_JWT_PUBLIC_KEY_PEM = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEkYyZSlyez7I4fptnNa1noJg0Ztno
o118zp3DDEmxNwpsy4H7tesvks5u6/cz5RgnhvYhbhzCAO113ieu0RQQnA==
-----END PUBLIC KEY-----
`;

/** DEV ONLY: the private half of the committed dev key pair (default of JWT_PRIVATE_KEY). Never a real secret. */
export const DEV_JWT_PRIVATE_KEY_PEM = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgvII1KIa7F/YeavbJ
lE7iK3dBcQjsPKoMORHS5uhPKjChRANCAASRjJlKXJ7Psjh+m2c1rWegmDRm2eij
XXzOncMMSbE3CmzLgfu16y+Szm7r9zPlGCeG9iFuHMIA7XXeJ67RFBCc
-----END PRIVATE KEY-----
`;
