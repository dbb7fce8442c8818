// A base URL as it may be stored or printed: no user, password, query or fragment.

/** `url` without credentials, query, fragment or trailing slash; undefined when it is not a URL. */
export function credentialFreeUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return undefined;
  }
}
