import { createHash } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import type { GoogleEndpoints } from '../auth/google-sign-in.ts';

/**
 * A local OAuth 2.0 / OpenID Connect provider standing in for Google in tests and local runs. It signs
 * in whoever `nextEmail` names without asking, but checks what Google checks: client credentials, the
 * redirect URI, one-time codes and the PKCE S256 verifier.
 */
export async function startTestIdentityProvider(options: { clientId: string; clientSecret: string }) {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test-idp-1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { email: string; challenge: string; redirectUri: string; nonce?: string }>();
  const state = {
    nextEmail: 'someone@example.com',
    emailVerified: true,
    tokenRequests: 0,
    /** The id token's `hd`; by default the email's domain, as for a Workspace account (gmail.com: none). */
    hostedDomain: undefined as string | null | undefined,
    /** Replaces the nonce the sign-in sent (a replayed token). */
    nonceOverride: undefined as string | undefined,
    /** What the last authorization request asked for. */
    lastAuthorize: new URLSearchParams(),
  };

  let issuer = '';
  const server: Bun.Server<undefined> = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: async (request): Promise<Response> => {
      const url = new URL(request.url);
      if (url.pathname === '/authorize') {
        const q = url.searchParams;
        if (q.get('client_id') !== options.clientId) return new Response('unknown client', { status: 400 });
        if (q.get('response_type') !== 'code')
          return new Response('response_type must be code', { status: 400 });
        if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
          return new Response('PKCE S256 required', { status: 400 });
        }
        const redirectUri = q.get('redirect_uri') ?? '';
        state.lastAuthorize = q;
        const code = crypto.randomUUID();
        codes.set(code, {
          email: state.nextEmail,
          challenge: q.get('code_challenge')!,
          redirectUri,
          nonce: q.get('nonce') ?? undefined,
        });
        const back = new URL(redirectUri);
        back.searchParams.set('code', code);
        back.searchParams.set('state', q.get('state') ?? '');
        return Response.redirect(back.toString(), 302);
      }
      if (url.pathname === '/token' && request.method === 'POST') {
        state.tokenRequests++;
        const form = new URLSearchParams(await request.text());
        const basic = request.headers.get('authorization')?.replace(/^Basic /, '') ?? '';
        const [id, secret] = Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent);
        const clientId = form.get('client_id') ?? id;
        const clientSecret = form.get('client_secret') ?? secret;
        if (clientId !== options.clientId || clientSecret !== options.clientSecret) {
          return Response.json({ error: 'invalid_client' }, { status: 401 });
        }
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        if (!grant || grant.redirectUri !== form.get('redirect_uri')) {
          return Response.json({ error: 'invalid_grant' }, { status: 400 });
        }
        const verifier = form.get('code_verifier') ?? '';
        if (createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
          return Response.json(
            { error: 'invalid_grant', error_description: 'PKCE verification failed' },
            { status: 400 },
          );
        }
        const domain = grant.email.slice(grant.email.lastIndexOf('@') + 1);
        const hd =
          state.hostedDomain === undefined ? (domain === 'gmail.com' ? null : domain) : state.hostedDomain;
        const nonce = state.nonceOverride ?? grant.nonce;
        const idToken: string = await new SignJWT({
          email: grant.email,
          email_verified: state.emailVerified,
          ...(hd ? { hd } : {}),
          ...(nonce ? { nonce } : {}),
        })
          .setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
          .setIssuer(issuer)
          .setAudience(options.clientId)
          .setSubject(createHash('sha256').update(grant.email).digest('hex').slice(0, 20))
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(privateKey);
        return Response.json({
          access_token: crypto.randomUUID(),
          token_type: 'Bearer',
          expires_in: 3600,
          id_token: idToken,
        });
      }
      if (url.pathname === '/jwks') return Response.json({ keys: [jwk] });
      return new Response('not found', { status: 404 });
    },
  });
  issuer = `http://127.0.0.1:${server.port}`;
  const endpoints: GoogleEndpoints = {
    authorization: `${issuer}/authorize`,
    token: `${issuer}/token`,
    jwks: `${issuer}/jwks`,
    issuers: [issuer],
  };
  return {
    endpoints,
    issuer,
    state,
    stop: () => server.stop(true),
  };
}

/** A locally generated key set standing in for a Cloudflare Access team's, and assertions signed by it. */
export async function testCloudflareKeys(teamDomain: string, audience: string) {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test-cf-1', alg: 'RS256', use: 'sig' };
  const sign = async (
    claims: { email?: string; aud?: string; iss?: string; expiresIn?: string | number; iat?: number },
    key: CryptoKey = privateKey,
  ) => {
    const jwt = new SignJWT(claims.email === undefined ? {} : { email: claims.email })
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
      .setIssuer(claims.iss ?? `https://${teamDomain}`)
      .setAudience(claims.aud ?? audience)
      .setIssuedAt(claims.iat)
      .setExpirationTime(claims.expiresIn ?? '10m');
    return jwt.sign(key);
  };
  return { jwks: { keys: [jwk] }, sign, otherKey: async () => (await generateKeyPair('RS256')).privateKey };
}
