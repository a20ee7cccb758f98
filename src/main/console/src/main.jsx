import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { admin, api, currentSession, signIn, signOut, whenSignedOut } from './api.js';
import { Problem } from './ui.jsx';
import { RolesPage, RoleEditor } from './roles.jsx';
import { UsersPage, UserEditor } from './users.jsx';
import { SettingsPage } from './settings.jsx';

/**
 * The hash route: #/roles, #/roles/new, #/roles/<id>, #/users, #/users/<id>, #/settings; `visit` counts navigations, so
 * that following a link opens its screen afresh even when the route is the one shown (the role editor replaces
 * #/roles/new by the created role's address without a navigation, keeping what the person entered).
 */
function useRoute() {
  const read = () => (window.location.hash.replace(/^#\/?/, '').split('?')[0] || 'roles').split('/');
  const [route, setRoute] = useState({ parts: read(), visit: 0 });
  useEffect(() => {
    const changed = () => setRoute((r) => ({ parts: read(), visit: r.visit + 1 }));
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}

/** Sign-in with an access key's token, or with the key's id and one of its client secrets. */
function SignIn({ onSignedIn, notice }) {
  const [method, setMethod] = useState('token');
  const [token, setToken] = useState('');
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  const [error, setError] = useState(null);
  const [errorAt, setErrorAt] = useState(null);
  const [busy, setBusy] = useState(false);
  const tokenField = useRef(null);
  const idField = useRef(null);
  const secretField = useRef(null);
  useEffect(() => {
    const first = method === 'token' ? tokenField : idField;
    if (first.current) first.current.focus();
  }, [method]);
  const refuse = (text, field) => {
    setError(text);
    setErrorAt(field);
    const ref = { token: tokenField, clientId: idField, secret: secretField }[field];
    if (ref.current) ref.current.focus();
  };
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    setErrorAt(null);
    if (method === 'token' && !token.trim()) return refuse('Paste an access key token to sign in.', 'token');
    if (method === 'secret' && !clientId.trim()) return refuse('Enter the access key’s id.', 'clientId');
    if (method === 'secret' && !secret.trim()) return refuse('Paste a client secret of this key.', 'secret');
    setBusy(true);
    try {
      await signIn(method === 'token' ? { token: token.trim() } : { clientId: clientId.trim(), clientSecret: secret.trim() });
      setToken('');
      setSecret('');
      onSignedIn();
    } catch (err) {
      const field = method === 'token' ? 'token' : err.status === 400 && /id/.test(err.detail || '') && !/secret/.test(err.detail || '') ? 'clientId' : 'secret';
      refuse(err.status === 429 ? `Wait before trying again: ${err.detail}` : err, field);
    } finally {
      setBusy(false);
    }
  };
  const described = (field) => (errorAt === field ? `${field}-error` : undefined);
  return (
    <main class="signin" id="main">
      <h1>Rollcall console</h1>
      <p>Sign in with an administrator's access key: its token, or its id and one of its client secrets. The console
        keeps a session of its own and forgets what you pasted.</p>
      {notice && <p class="notice" role="status">{notice}</p>}
      <form onSubmit={submit} noValidate>
        <fieldset class="mode signin-method">
          <legend>Sign in with</legend>
          <input type="radio" name="signin-method" id="method-token" checked={method === 'token'}
            onChange={() => { setMethod('token'); setError(null); setErrorAt(null); }} />
          <label for="method-token">Access key token</label>
          <input type="radio" name="signin-method" id="method-secret" checked={method === 'secret'}
            onChange={() => { setMethod('secret'); setError(null); setErrorAt(null); }} />
          <label for="method-secret">Key id and client secret</label>
        </fieldset>
        {method === 'token' ? (
          <>
            <label for="token">Access key token</label>
            <input id="token" type="password" autocomplete="off" spellcheck={false} ref={tokenField} value={token}
              aria-invalid={errorAt === 'token' ? 'true' : 'false'} aria-describedby={described('token')}
              onInput={(e) => setToken(e.currentTarget.value)} />
            {errorAt === 'token' && <Problem error={error} id="token-error" />}
          </>
        ) : (
          <>
            <label for="client-id">Access key id</label>
            <input id="client-id" autocomplete="username" spellcheck={false} ref={idField} value={clientId}
              aria-invalid={errorAt === 'clientId' ? 'true' : 'false'} aria-describedby={described('clientId')}
              onInput={(e) => setClientId(e.currentTarget.value)} />
            {errorAt === 'clientId' && <Problem error={error} id="clientId-error" />}
            <label for="client-secret">Client secret</label>
            <input id="client-secret" type="password" autocomplete="off" spellcheck={false} ref={secretField}
              value={secret} aria-invalid={errorAt === 'secret' ? 'true' : 'false'}
              aria-describedby={described('secret')} onInput={(e) => setSecret(e.currentTarget.value)} />
            {errorAt === 'secret' && <Problem error={error} id="secret-error" />}
          </>
        )}
        <button type="submit" class="primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}

function Shell({ me, onSignOut, children, page }) {
  const can = (p) => me.permissions.includes(p);
  const link = (id, label, permission) =>
    (!permission || can(permission)) && (
      <li>
        <a href={`#/${id}`} aria-current={page === id ? 'page' : undefined}>{label}</a>
      </li>
    );
  return (
    <div class="shell">
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main').focus(); }}>
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Rollcall</span>
        <nav aria-label="Console">
          <ul>
            {link('roles', 'Access roles', 'roles:read')}
            {link('users', 'Users', 'users:read')}
            {(can('organization:read') || can('access-keys:read')) && link('settings', 'Settings')}
          </ul>
        </nav>
        <div class="who">
          <span class="key" title={`Signed in as access key ${me.name}`}>{me.name}</span>
          <button type="button" onClick={onSignOut}>Sign out</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>{children}</main>
    </div>
  );
}

function Screen({ route, me }) {
  const [page, id] = route;
  const can = (p) => me.permissions.includes(p);
  if (page === 'roles' && !id && can('roles:read')) return <RolesPage me={me} />;
  if (page === 'roles' && id && can('roles:read')) return <RoleEditor me={me} id={id === 'new' ? null : id} />;
  if (page === 'users' && !id && can('users:read')) return <UsersPage me={me} />;
  if (page === 'users' && id && can('users:read')) return <UserEditor me={me} id={id} />;
  if (page === 'settings') return <SettingsPage me={me} />;
  return (
    <section>
      <h1>Nothing to show</h1>
      <p>This access key may not open this page. It holds the roles {me.roles.join(', ') || 'none'}.</p>
    </section>
  );
}

function App() {
  const [state, setState] = useState({ phase: 'loading' });
  const { parts: route, visit } = useRoute();
  const load = async (notice) => {
    try {
      const session = await currentSession();
      if (!session) {
        setState({ phase: 'signed-out', notice });
        return;
      }
      const me = await api.get(admin('me'));
      setState({ phase: 'in', me });
    } catch (e) {
      setState({ phase: 'signed-out', notice: e.detail || String(e) });
    }
  };
  useEffect(() => {
    whenSignedOut((detail) => setState({ phase: 'signed-out', notice: `You were signed out: ${detail}` }));
    load();
  }, []);
  useEffect(() => {
    const titles = { roles: 'Access roles', users: 'Users', settings: 'Settings' };
    document.title = `${state.phase === 'in' ? titles[route[0]] || 'Console' : 'Sign in'} · Rollcall`;
  }, [route, state.phase]);
  if (state.phase === 'loading') return <p class="loading">Loading…</p>;
  if (state.phase === 'signed-out') return <SignIn notice={state.notice} onSignedIn={() => load()} />;
  const out = async () => {
    try {
      await signOut();
    } finally {
      setState({ phase: 'signed-out', notice: 'You signed out.' });
    }
  };
  return (
    <Shell me={state.me} onSignOut={out} page={route[0]}>
      <Screen route={route} me={state.me} key={`${route.join('/')}#${visit}`} />
    </Shell>
  );
}

render(<App />, document.getElementById('app'));
