import { createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';

/** The header Cloudflare Access adds to every request it lets through. */
export const CF_ASSERTION_HEADER = 'cf-access-jwt-assertion';

export interface CloudflareAccessOptions {
  /** e.g. myteam.cloudflareaccess.com (a scheme is tolerated). */
  teamDomain: string;
  audience: string;
  /** The key set; defaults to the team's published certs. Tests pass a locally generated one. */
  jwks?: JWTVerifyGetKey;
}

export class AccessDenied extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccessDenied';
  }
}

/** Verifies Cloudflare Access assertions: signature against the team JWKS, audience, expiry and issuer. */
export function cloudflareAccessVerifier(options: CloudflareAccessOptions) {
  const host = options.teamDomain.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  const issuer = `https://${host}`;
  const jwks = options.jwks ?? createRemoteJWKSet(new URL(`${issuer}/cdn-cgi/access/certs`));
  return async (assertion: string | undefined): Promise<{ email: string }> => {
    if (!assertion) {
      throw new AccessDenied(
        'missing Cf-Access-Jwt-Assertion: this console is only reachable through Cloudflare Access',
      );
    }
    try {
      const { payload } = await jwtVerify(assertion, jwks, {
        issuer,
        audience: options.audience,
        algorithms: ['RS256', 'ES256'],
        requiredClaims: ['exp', 'iat'],
      });
      if (typeof payload.email !== 'string' || payload.email.length === 0) {
        throw new AccessDenied(
          'the Cloudflare Access assertion names no user (service tokens cannot sign in)',
        );
      }
      return { email: payload.email.toLowerCase() };
    } catch (error) {
      if (error instanceof AccessDenied) throw error;
      throw new AccessDenied(`Cloudflare Access assertion rejected: ${describeJoseError(error)}`);
    }
  };
}

export function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'it has expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `claim "${error.claim}" is wrong (${error.reason})`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'its signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key in the key set matches it';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'its algorithm is not allowed';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'it is malformed';
  if (error instanceof errors.JWKSTimeout) return 'the key set could not be fetched in time';
  return 'it could not be verified';
}
