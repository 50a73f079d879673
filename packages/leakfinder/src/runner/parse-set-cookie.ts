/** One `Set-Cookie` header, reduced to what the session probe needs. The value is never printed. */
export interface SetCookie {
  readonly name: string;
  readonly value: string;
  /** The cookie is a deletion: `Max-Age` ≤ 0 or an `Expires` date in the past. */
  readonly isDeletion: boolean;
  /** `Path` attribute, or null when absent (the browser then uses the request path's directory). */
  readonly path: string | null;
  readonly domain: string | null;
  readonly secure: boolean;
  /** Things a strict client would balk at, as short phrases without the value (`"no '=' in the pair"`). */
  readonly oddities: readonly string[];
}

/**
 * Parses one `Set-Cookie` header the way browsers do (RFC 6265 §5.2): the pair is everything before the
 * first `;`, the name everything before its first `=`; attributes are case-insensitive and unknown ones
 * are ignored. `nowMs` decides whether an `Expires` date is in the past. Never throws.
 */
export function parseSetCookie(header: string, nowMs: number = Date.now()): SetCookie {
  const oddities: string[] = [];
  const semicolon = header.indexOf(';');
  const pair = semicolon === -1 ? header : header.slice(0, semicolon);
  const attributes = semicolon === -1 ? '' : header.slice(semicolon + 1);
  const equals = pair.indexOf('=');
  let name: string;
  let value: string;
  if (equals === -1) {
    // RFC 6265bis: a pair without '=' is a cookie with an empty name; old servers send such "flags".
    oddities.push("no '=' in the name-value pair");
    name = '';
    value = pair.trim();
  } else {
    name = pair.slice(0, equals).trim();
    value = pair.slice(equals + 1).trim();
    if (name === '') oddities.push('empty cookie name');
  }
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);

  let maxAgeSeconds: number | null = null;
  let expiresMs: number | null = null;
  let path: string | null = null;
  let domain: string | null = null;
  let secure = false;
  for (const part of attributes.split(';')) {
    const eq = part.indexOf('=');
    const key = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    const raw = eq === -1 ? '' : part.slice(eq + 1).trim();
    switch (key) {
      case 'max-age':
        if (/^-?\d+$/.test(raw)) maxAgeSeconds = Number(raw);
        else oddities.push('Max-Age is not an integer');
        break;
      case 'expires': {
        const parsedMs = Date.parse(raw);
        if (Number.isNaN(parsedMs)) oddities.push('Expires is not a date');
        else expiresMs = parsedMs;
        break;
      }
      case 'path':
        path = raw.startsWith('/') ? raw : null; // a Path that does not start with '/' is ignored (§5.2.4)
        if (!raw.startsWith('/')) oddities.push("Path does not start with '/'");
        break;
      case 'domain':
        domain = raw.replace(/^\./, '').toLowerCase() || null;
        break;
      case 'secure':
        secure = true;
        break;
      default:
        break; // HttpOnly, SameSite, Partitioned, Priority and unknown attributes do not matter here
    }
  }
  // Max-Age wins over Expires when both are present (§5.3 step 3).
  const isDeletion = maxAgeSeconds !== null ? maxAgeSeconds <= 0 : expiresMs !== null && expiresMs <= nowMs;
  return { name, value, isDeletion, path, domain, secure, oddities };
}
