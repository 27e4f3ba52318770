/** Who is calling, after every sign-in layer has passed. */
export interface Identity {
  email: string;
  admin: boolean;
  /** The layer that named the user: the dev user, a Google session, or a Cloudflare Access assertion. */
  via: 'dev' | 'google' | 'cloudflare';
  /** What the CSRF token is bound to: the session id for Google, the email for Cloudflare, 'dev' in dev mode. */
  csrfKey: string;
  /** The lucia session id when signed in with Google (for sign-out). */
  sessionId?: string;
}

export const DEV_USER_EMAIL = 'dev@localhost';
