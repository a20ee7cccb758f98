import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { admin, api, currentSession, signIn, signOut, whenSignedOut } from './api.js';
import { Problem } from './ui.jsx';
import { RolesPage, RoleEditor } from './roles.jsx';
import { UsersPage, UserEditor } from './users.jsx';
import { SettingsPage } from './settings.jsx';

/** The hash route: #/roles, #/roles/new, #/roles/<id>, #/users, #/users/<id>, #/settings. */
function useRoute() {
  const read = () => (window.location.hash.replace(/^#\/?/, '').split('?')[0] || 'roles').split('/');
  const [route, setRoute] = useState(read());
  useEffect(() => {
    const changed = () => setRoute(read());
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}

function SignIn({ onSignedIn, notice }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const field = useRef(null);
  useEffect(() => field.current && field.current.focus(), []);
  const submit = async (e) => {
    e.preventDefault();
    if (!token.trim()) {
      setError('Paste an access key token to sign in.');
      field.current.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await signIn(token.trim());
      setToken('');
      onSignedIn();
    } catch (err) {
      setError(err);
      field.current.focus();
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="signin" id="main">
      <h1>Rollcall console</h1>
      <p>Sign in with an administrator's access key token. The console keeps a session of its own and forgets the
        token.</p>
      {notice && <p class="notice" role="status">{notice}</p>}
      <form onSubmit={submit} noValidate>
        <label for="token">Access key token</label>
        <input id="token" type="password" autocomplete="off" spellcheck={false} ref={field} value={token}
          aria-invalid={error ? 'true' : 'false'} aria-describedby={error ? 'token-error' : undefined}
          onInput={(e) => setToken(e.currentTarget.value)} />
        <Problem error={error} id="token-error" />
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
  const route = useRoute();
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
      <Screen route={route} me={state.me} key={route.join('/')} />
    </Shell>
  );
}

render(<App />, document.getElementById('app'));
