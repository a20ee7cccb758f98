import { useEffect, useState } from 'preact/hooks';
import { admin, api, enc } from './api.js';
import { Menu, Problem, go, sourceLabel, useLoad } from './ui.jsx';

export function UsersPage() {
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [users, error, , loading] = useLoad(() => api.get(admin(`users?count=100${query ? `&search=${enc(query)}` : ''}`)), [query]);
  useEffect(() => {
    const t = setTimeout(() => setQuery(search.trim()), 250);
    return () => clearTimeout(t);
  }, [search]);
  return (
    <section>
      <h1>Users</h1>
      <p class="lead">People your identity provider pushed over SCIM. Open one to change the access roles assigned
        here.</p>
      <div class="search">
        <label for="users-search">Search users</label>
        <input id="users-search" type="search" value={search} placeholder="User name or name"
          onInput={(e) => setSearch(e.currentTarget.value)} />
      </div>
      <Problem error={error} />
      {users && (
        <div class="table-wrap">
          <table class="users">
            <caption class="visually-hidden">Users</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" class="wide-only">User name</th>
                <th scope="col">Access roles</th>
                <th scope="col" class="wide-only">Status</th>
                <th scope="col"><span class="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {users.items.map((u) => (
                <tr key={u.id} data-user={u.userName}>
                  <th scope="row">
                    <a href={`#/users/${u.id}`}>{u.displayName || u.userName}</a>
                    <span class="narrow-only muted">{u.userName}</span>
                  </th>
                  <td class="wide-only">{u.userName}</td>
                  <td>{(u.roles || []).join(', ')}</td>
                  <td class="wide-only">{u.active ? 'Active' : 'Inactive'}</td>
                  <td class="menu-cell">
                    <Menu label={`Actions for ${u.userName}`} items={[{ label: 'Edit user', onSelect: () => go(`users/${u.id}`) }]} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {!loading && users.items.length === 0 && <p class="empty">No user matches “{query}”.</p>}
          {users.totalResults > users.items.length && (
            <p class="muted">Showing {users.items.length} of {users.totalResults}; search to narrow the list.</p>
          )}
        </div>
      )}
    </section>
  );
}

/**
 * Edit user → Access roles: pick roles to add and mark roles to remove, then "Update roles" applies them (adds first,
 * so that a swap never leaves the user without a role). Roles from the IdP or from a group cannot be removed here.
 */
export function UserEditor({ me, id }) {
  const [user, loadError, reload] = useLoad(() => api.get(admin(`users/${id}`)), [id]);
  const [roles] = useLoad(() => api.get(admin('roles')), []);
  const [adding, setAdding] = useState([]);
  const [removing, setRemoving] = useState(new Set());
  const [choice, setChoice] = useState('');
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);
  const [busy, setBusy] = useState(false);
  const assign = me.permissions.includes('roles:assign');
  if (loadError) return <section><h1>User</h1><Problem error={loadError} /></section>;
  if (!user || !roles) return <p class="loading">Loading…</p>;

  const bindings = user.roles;
  const removable = (b) => !b.via && b.source !== 'scim';
  const remaining = bindings.length - removing.size + adding.length;
  const held = new Set(bindings.filter((b) => !b.via && !b.workspace).map((b) => b.role.id));
  const candidates = roles.items.filter((r) => !held.has(r.id) && !adding.includes(r.id) && r.value !== 'scim-client');
  const name = (roleId) => (roles.items.find((r) => r.id === roleId) || {}).name || roleId;
  const whyNot = (b) => {
    if (b.via) return `From the group ${b.via.display}: change it on the group`;
    if (b.source === 'scim') return 'From your identity provider: change it there';
    if (remaining <= 1 && !removing.has(b.id)) return 'Every user keeps at least one role: add another first';
    return null;
  };

  const update = async () => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const added = [];
      for (const roleId of adding) {
        await api.post(admin(`users/${id}/roles`), { role: roleId });
        added.push(roleId);
      }
      setAdding((a) => a.filter((r) => !added.includes(r)));
      for (const bindingId of removing) {
        await api.del(admin(`users/${id}/roles/${bindingId}`));
        setRemoving((r) => { const n = new Set(r); n.delete(bindingId); return n; });
      }
      setNotice('Access roles updated.');
      reload();
    } catch (err) {
      setError(err);
      reload();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <p class="crumbs"><a href="#/users">Users</a> /</p>
      <h1>Edit user</h1>
      <dl class="facts">
        <dt>Name</dt><dd>{user.displayName || '—'}</dd>
        <dt>User name</dt><dd>{user.userName}</dd>
        <dt>Email</dt><dd>{user.email || '—'}</dd>
        <dt>Status</dt><dd>{user.active ? 'Active' : 'Inactive'}</dd>
      </dl>
      <h2 id="access-roles">Access roles</h2>
      {notice && <p class="notice" role="status">{notice}</p>}
      <ul class="bindings" aria-labelledby="access-roles">
        {bindings.map((b) => {
          const why = whyNot(b);
          const marked = removing.has(b.id);
          return (
            <li key={b.id} class={marked ? 'marked' : ''} data-role={b.role.value}>
              <span class="role-name">{b.role.name}</span>
              {b.workspace && <span class="tag">in {b.workspace.name}</span>}
              <span class="tag">{b.via ? `Through group ${b.via.display}` : sourceLabel(b.source)}</span>
              {assign && removable(b) && (
                marked ? (
                  <button type="button" class="link" onClick={() => setRemoving((r) => { const n = new Set(r); n.delete(b.id); return n; })}>
                    Keep {b.role.name}
                  </button>
                ) : (
                  <button type="button" class="small" aria-label={`Remove ${b.role.name}`} disabled={!!why}
                    aria-describedby={why ? `why-${b.id}` : undefined}
                    onClick={() => setRemoving((r) => new Set([...r, b.id]))}>Remove</button>
                )
              )}
              {marked && <span class="muted"> will be removed</span>}
              {why && assign && <span class="muted why" id={`why-${b.id}`}>{why}</span>}
            </li>
          );
        })}
        {adding.map((roleId) => (
          <li key={`add-${roleId}`} class="added">
            <span class="role-name">{name(roleId)}</span> <span class="tag">will be added</span>
            <button type="button" class="link" onClick={() => setAdding(adding.filter((r) => r !== roleId))}>
              Don't add {name(roleId)}
            </button>
          </li>
        ))}
      </ul>
      {assign ? (
        <div class="add-role">
          <label for="add-role">Add an access role</label>
          <select id="add-role" value={choice} onChange={(e) => setChoice(e.currentTarget.value)}>
            <option value="">Choose a role…</option>
            {candidates.map((r) => <option value={r.id} key={r.id}>{r.name}</option>)}
          </select>
          <button type="button" disabled={!choice} onClick={() => { setAdding([...adding, choice]); setChoice(''); }}>
            Add
          </button>
          <div class="actions">
            <button type="button" class="primary" disabled={busy || (adding.length === 0 && removing.size === 0)}
              onClick={update} aria-describedby={error ? 'update-error' : undefined}>Update roles</button>
            <Problem error={error} id="update-error" />
          </div>
        </div>
      ) : (
        <p class="muted">This access key may not assign roles (it needs roles:assign).</p>
      )}
    </section>
  );
}
