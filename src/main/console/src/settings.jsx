import { useState } from 'preact/hooks';
import { admin, api } from './api.js';
import { Dialog, Problem, useLoad } from './ui.jsx';

const assignable = (roles) => roles.filter((r) => r.value !== 'scim-client');

/** Fallback role, and (when the server has the setting) the roles the IdP may assign. */
function RoleSettings({ me, roles }) {
  const [settings, loadError, reload] = useLoad(() => api.get(admin('settings')), []);
  const [draft, setDraft] = useState(null);
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);
  const [busy, setBusy] = useState(false);
  const manage = me.permissions.includes('organization:manage');
  if (loadError) return <Problem error={loadError} />;
  if (!settings) return <p class="loading">Loading settings…</p>;
  const current = draft || settings;
  const idp = Array.isArray(settings.scimAssignableRoles);
  const save = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      // the body is what the server gave, with the edited fields replaced: it keeps fields this screen does not show
      const saved = await api.put(admin('settings'), { ...settings, ...current });
      setDraft(null);
      setNotice('Settings saved.');
      reload();
      return saved;
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
    return null;
  };
  const toggle = (value, on) => {
    const now = new Set(current.scimAssignableRoles);
    if (on) now.add(value);
    else now.delete(value);
    // a chosen list: no longer the default (which would take in custom roles made later)
    setDraft({ ...current, scimAssignableRoles: [...now], scimAssignableRolesDefault: false });
  };
  return (
    <form onSubmit={save} noValidate class="card">
      <h2>Roles</h2>
      {notice && <p class="notice" role="status">{notice}</p>}
      <label for="fallback-role">Fallback role</label>
      <p class="muted" id="fallback-help">Held by users who would otherwise have no role (for example when the
        identity provider sends none). It goes away once they get another.</p>
      <select id="fallback-role" value={current.fallbackRole} disabled={!manage} aria-describedby="fallback-help"
        onChange={(e) => setDraft({ ...current, fallbackRole: e.currentTarget.value })}>
        {assignable(roles).map((r) => <option value={r.value} key={r.id}>{r.name}</option>)}
      </select>
      {idp && (
        <fieldset class="idp-roles">
          <legend>Roles your identity provider may assign</legend>
          <p class="muted">Over SCIM, the IdP's key may bind exactly these roles to users and groups.</p>
          <ul class="checks columns">
            {assignable(roles).map((r) => (
              <li key={r.id}>
                <input type="checkbox" id={`idp-${r.value}`} disabled={!manage}
                  checked={current.scimAssignableRoles.includes(r.value)}
                  onChange={(e) => toggle(r.value, e.currentTarget.checked)} />
                <label for={`idp-${r.value}`}>{r.name}</label>
              </li>
            ))}
          </ul>
        </fieldset>
      )}
      {manage && (
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || !draft}>Save settings</button>
          <Problem error={error} id="settings-error" />
        </div>
      )}
    </form>
  );
}

function AccessKeys({ me, roles }) {
  const [keys, loadError, reload] = useLoad(() => api.get(admin('access-keys')), []);
  const [name, setName] = useState('');
  const [picked, setPicked] = useState(new Set());
  const [expires, setExpires] = useState('');
  const [error, setError] = useState(null);
  const [created, setCreated] = useState(null);
  const [copied, setCopied] = useState('');
  const [revoking, setRevoking] = useState(null);
  const [revokeError, setRevokeError] = useState(null);
  const [busy, setBusy] = useState(false);
  const manage = me.permissions.includes('access-keys:manage');
  const create = async (e) => {
    e.preventDefault();
    setError(null);
    if (!name.trim()) {
      setError('Give the key a name.');
      return;
    }
    if (picked.size === 0) {
      setError('Choose at least one role for the key.');
      return;
    }
    setBusy(true);
    try {
      const body = { name: name.trim(), roles: [...picked] };
      if (expires) body.expiresAt = new Date(`${expires}T00:00:00Z`).toISOString();
      const key = await api.post(admin('access-keys'), body);
      setCreated(key);
      setName('');
      setPicked(new Set());
      setExpires('');
      reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied('Copied to the clipboard.');
    } catch (e) {
      const field = document.getElementById('new-token');
      field.select();
      setCopied('Selected: press Ctrl+C (or ⌘C) to copy.');
    }
  };
  const revoke = async () => {
    setRevokeError(null);
    try {
      await api.del(admin(`access-keys/${revoking.id}`));
      setRevoking(null);
      reload();
    } catch (err) {
      setRevokeError(err);
    }
  };
  const date = (iso) => (iso ? new Date(iso).toISOString().slice(0, 10) : '—');
  return (
    <div class="card">
      <h2>Access keys</h2>
      <Problem error={loadError} />
      {keys && (
        <div class="table-wrap">
          <table class="keys">
            <caption class="visually-hidden">Access keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Roles</th>
                <th scope="col" class="wide-only">Created</th>
                <th scope="col" class="wide-only">Last used</th>
                <th scope="col" class="wide-only">Expires</th>
                <th scope="col"><span class="visually-hidden">Revoke</span></th>
              </tr>
            </thead>
            <tbody>
              {keys.items.map((k) => (
                <tr key={k.id} data-key={k.name}>
                  <th scope="row">{k.name}{k.id === me.id && <span class="tag">this session</span>}</th>
                  <td>{k.roles.map((r) => r.name).join(', ')}</td>
                  <td class="wide-only">{date(k.createdAt)}</td>
                  <td class="wide-only">{date(k.lastUsedAt)}</td>
                  <td class="wide-only">{k.expiresAt ? date(k.expiresAt) : 'never'}</td>
                  <td>
                    {manage && k.id !== me.id && (
                      <button type="button" class="danger small" onClick={() => { setRevokeError(null); setRevoking(k); }}>
                        Revoke<span class="visually-hidden"> {k.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {manage && (
        <form onSubmit={create} noValidate class="new-key">
          <h3>Create an access key</h3>
          <label for="key-name">Name</label>
          <input id="key-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
          <fieldset>
            <legend>Roles</legend>
            <ul class="checks columns">
              {roles.map((r) => (
                <li key={r.id}>
                  <input type="checkbox" id={`key-role-${r.value}`} checked={picked.has(r.value)}
                    onChange={(e) => {
                      const next = new Set(picked);
                      if (e.currentTarget.checked) next.add(r.value);
                      else next.delete(r.value);
                      setPicked(next);
                    }} />
                  <label for={`key-role-${r.value}`}>{r.name}</label>
                </li>
              ))}
            </ul>
          </fieldset>
          <label for="key-expires">Expires on (optional)</label>
          <input id="key-expires" type="date" value={expires} onInput={(e) => setExpires(e.currentTarget.value)} />
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>Create key</button>
            <Problem error={error} id="key-error" />
          </div>
        </form>
      )}
      <Dialog title="Your new access key" open={!!created} onClose={() => { setCreated(null); setCopied(''); }}>
        {created && (
          <div>
            <p><strong>Copy the token now: it is shown only once.</strong> Rollcall keeps no copy it could show again.</p>
            <label for="new-token">Token for {created.name}</label>
            <textarea id="new-token" readOnly rows={5} class="token" value={created.token} />
            <div class="actions">
              <button type="button" class="primary" onClick={copy}>Copy token</button>
              <button type="button" onClick={() => { setCreated(null); setCopied(''); }}>Done</button>
              <span role="status" class="muted">{copied}</span>
            </div>
          </div>
        )}
      </Dialog>
      <Dialog title={revoking ? `Revoke ${revoking.name}?` : 'Revoke'} open={!!revoking} onClose={() => setRevoking(null)}>
        <p>Its token stops working at once; whatever uses it (an identity provider, a script) is refused.</p>
        <Problem error={revokeError} id="revoke-error" />
        <div class="actions">
          <button type="button" class="danger" onClick={revoke}>Revoke key</button>
          <button type="button" onClick={() => setRevoking(null)}>Cancel</button>
        </div>
      </Dialog>
    </div>
  );
}

export function SettingsPage({ me }) {
  const [roles, error] = useLoad(() => (me.permissions.includes('roles:read')
    ? api.get(admin('roles')) : Promise.resolve({ items: [] })), []);
  return (
    <section>
      <h1>Settings</h1>
      <Problem error={error} />
      {roles && me.permissions.includes('organization:read') && <RoleSettings me={me} roles={roles.items} />}
      {roles && me.permissions.includes('access-keys:read') && <AccessKeys me={me} roles={roles.items} />}
    </section>
  );
}
