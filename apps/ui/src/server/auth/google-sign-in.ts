import { timingSafeEqual } from 'node:crypto';
import {
  CodeChallengeMethod,
  generateCodeVerifier,
  generateState,
  OAuth2Client,
  OAuth2RequestError,
} from 'arctic';
import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { AccessDenied, describeJoseError } from './cloudflare-access.ts';

/** Where Google's OAuth endpoints live. Tests point these at a local identity provider. */
export interface GoogleEndpoints {
  authorization: string;
  token: string;
  jwks: string;
  issuers: string[];
}

export const googleEndpoints: GoogleEndpoints = {
  authorization: 'https://accounts.google.com/o/oauth2/v2/auth',
  token: 'https://oauth2.googleapis.com/token',
  jwks: 'https://www.googleapis.com/oauth2/v3/certs',
  issuers: ['https://accounts.google.com', 'accounts.google.com'],
};

export interface GoogleSignInOptions {
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
  endpoints?: GoogleEndpoints;
  jwks?: JWTVerifyGetKey;
  hostedDomainHint?: string;
}

/** OAuth 2.0 authorization code flow with PKCE (S256) through arctic; the id token names the user. */
export function googleSignIn(options: GoogleSignInOptions) {
  const endpoints = options.endpoints ?? googleEndpoints;
  const client = new OAuth2Client(options.clientId, options.clientSecret, options.redirectUrl);
  const jwks = options.jwks ?? createRemoteJWKSet(new URL(endpoints.jwks));

  return {
    /** A fresh state and PKCE verifier (kept in short-lived cookies) and the URL to send the browser to. */
    start() {
      const state = generateState();
      const codeVerifier = generateCodeVerifier();
      const url = client.createAuthorizationURLWithPKCE(
        endpoints.authorization,
        state,
        CodeChallengeMethod.S256,
        codeVerifier,
        ['openid', 'email', 'profile'],
      );
      url.searchParams.set('prompt', 'select_account');
      // The id token must carry this nonce back: a token minted for another sign-in cannot be replayed here.
      const nonce = generateState();
      url.searchParams.set('nonce', nonce);
      // With a single allowed domain, Google's account chooser can be narrowed to it (a hint; `hd` in the
      // id token is what is checked).
      if (options.hostedDomainHint) url.searchParams.set('hd', options.hostedDomainHint);
      return { state, codeVerifier, nonce, url };
    },

    /** Checks the returned state, redeems the code with the verifier, verifies the id token; returns the email. */
    async finish(input: {
      code: string | undefined;
      state: string | undefined;
      expectedState: string | undefined;
      codeVerifier: string | undefined;
      expectedNonce: string | undefined;
      error?: string | undefined;
    }): Promise<{ email: string; hostedDomain: string | undefined }> {
      if (input.error)
        throw new AccessDenied(`Google sign-in was not completed (${input.error.slice(0, 100)})`);
      if (
        !input.code ||
        !input.state ||
        !input.expectedState ||
        !input.codeVerifier ||
        !input.expectedNonce
      ) {
        throw new AccessDenied('sign-in state is missing or expired; start the sign-in again');
      }
      const a = Buffer.from(input.state);
      const b = Buffer.from(input.expectedState);
      if (a.length !== b.length || !timingSafeEqual(a, b)) {
        throw new AccessDenied('sign-in state does not match; start the sign-in again');
      }
      let idToken: string;
      try {
        const tokens = await client.validateAuthorizationCode(
          endpoints.token,
          input.code,
          input.codeVerifier,
        );
        idToken = tokens.idToken();
      } catch (error) {
        if (error instanceof OAuth2RequestError) {
          throw new AccessDenied(`Google refused the sign-in code (${error.code})`);
        }
        throw new AccessDenied('could not redeem the sign-in code with Google');
      }
      try {
        const { payload } = await jwtVerify(idToken, jwks, {
          issuer: endpoints.issuers,
          audience: options.clientId,
          requiredClaims: ['exp', 'iat'],
        });
        if (typeof payload.email !== 'string' || payload.email_verified !== true) {
          throw new AccessDenied('Google did not return a verified email address');
        }
        if (payload.nonce !== input.expectedNonce) {
          throw new AccessDenied(
            "Google's id token does not carry this sign-in's nonce; start the sign-in again",
          );
        }
        return {
          email: payload.email.toLowerCase(),
          hostedDomain: typeof payload.hd === 'string' ? payload.hd.toLowerCase() : undefined,
        };
      } catch (error) {
        if (error instanceof AccessDenied) throw error;
        throw new AccessDenied(`Google's id token was rejected: ${describeJoseError(error)}`);
      }
    },
  };
}

export type GoogleSignIn = ReturnType<typeof googleSignIn>;
