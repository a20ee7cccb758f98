// The admin API as the console calls it: same origin, the session cookie (HttpOnly, so never seen here), and the
// session's CSRF token in memory only (never localStorage/sessionStorage), sent on every write.

let csrfToken = null;
let onSignedOut = () => {};

export class ApiError extends Error {
  constructor(status, detail, scimType) {
    super(detail);
    this.status = status;
    this.detail = detail;
    this.scimType = scimType;
  }
}

export function whenSignedOut(handler) {
  onSignedOut = handler;
}

async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'The server could not be reached; check the connection and try again.');
  }
  const text = await response.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch (e) {
      json = null;
    }
  }
  if (!response.ok) {
    const detail = (json && json.detail) || `The server answered ${response.status} ${response.statusText}`;
    const error = new ApiError(response.status, detail, json && json.scimType);
    if (response.status === 401 && path !== 'session') {
      csrfToken = null;
      onSignedOut(detail);
    }
    throw error;
  }
  return json;
}

export const api = {
  get: (path) => call('GET', path),
  post: (path, body) => call('POST', path, body ?? {}),
  put: (path, body) => call('PUT', path, body),
  del: (path) => call('DELETE', path),
};

/** The live session, or null. Paths are relative to /console/ so that a proxy prefix works too. */
export async function currentSession() {
  try {
    const session = await call('GET', 'session');
    csrfToken = session.csrfToken;
    return session;
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

export async function signIn(token) {
  const session = await call('POST', 'session', { token });
  csrfToken = session.csrfToken;
  return session;
}

export async function signOut() {
  try {
    await call('DELETE', 'session');
  } finally {
    csrfToken = null;
  }
}

/** Admin API paths, relative to /console/. */
export const admin = (path) => `../admin/v1/${path}`;

export function enc(value) {
  return encodeURIComponent(value);
}
