/** Domain and email allow-lists and the admin list (SPEC section 5). Lists hold lowercase entries. */
export interface AccessLists {
  allowedDomains: string[];
  allowedEmails: string[];
  adminEmails: string[];
}

export type AllowDecision = { allowed: true } | { allowed: false; reason: string };

/**
 * `emptyMeans` says what empty lists do: behind Google sign-in an empty list admits nobody (any Google
 * account could otherwise get in); behind Cloudflare Access alone, Access's own policy already decided.
 */
export function checkAllowLists(
  email: string,
  lists: AccessLists,
  emptyMeans: 'allow' | 'deny',
): AllowDecision {
  const normalised = email.trim().toLowerCase();
  if (lists.allowedDomains.length === 0 && lists.allowedEmails.length === 0) {
    return emptyMeans === 'allow'
      ? { allowed: true }
      : {
          allowed: false,
          reason: 'no ALLOWED_DOMAINS or ALLOWED_EMAILS are configured, so nobody may sign in',
        };
  }
  if (lists.allowedEmails.includes(normalised)) return { allowed: true };
  const at = normalised.lastIndexOf('@');
  const domain = at === -1 ? '' : normalised.slice(at + 1);
  if (domain && lists.allowedDomains.includes(domain)) return { allowed: true };
  return { allowed: false, reason: `${normalised} is not on this console's allow-list` };
}

/**
 * Google sign-in only: an email admitted by its domain must come from that Google Workspace (the id
 * token's `hd`). A consumer Google account can carry any verified address, acme.com's included; only the
 * Workspace's own accounts carry `hd: acme.com`. Addresses listed one by one in ALLOWED_EMAILS need no `hd`.
 */
export function checkHostedDomain(
  email: string,
  hostedDomain: string | undefined,
  lists: AccessLists,
): AllowDecision {
  const normalised = email.trim().toLowerCase();
  if (lists.allowedEmails.includes(normalised)) return { allowed: true };
  const domain = normalised.slice(normalised.lastIndexOf('@') + 1);
  if (hostedDomain === domain) return { allowed: true };
  return {
    allowed: false,
    reason: `${normalised} is not an account of the ${domain} Google Workspace (the sign-in names ${hostedDomain ? `hd ${hostedDomain}` : 'no hosted domain'}); ask an admin to add the address to ALLOWED_EMAILS`,
  };
}

export const isAdmin = (email: string, lists: AccessLists) =>
  lists.adminEmails.includes(email.trim().toLowerCase());
