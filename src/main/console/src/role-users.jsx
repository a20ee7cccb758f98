import { useEffect, useRef, useState } from 'preact/hooks';
import { admin, api, enc } from './api.js';
import { Dialog, Problem, sourceLabel } from './ui.jsx';

const PAGE = 50;

const day = (iso) => (iso ? new Date(iso).toISOString().slice(0, 10) : null);

/** What Rollcall knows of a holder's last activity; there is no last login (see the note above the list). */
function activity(m) {
  if (m.kind === 'user') return m.lastModified ? `Updated ${day(m.lastModified)}` : '—';
  if (m.kind === 'access_key') return m.lastUsedAt ? `Used ${day(m.lastUsedAt)}` : 'Never used';
  return '—';
}

const nameOf = (m) => m.displayName || m.display;

/**
 * Whether the console may take the role from this holder: a user's or group's own binding that the IdP does not own
 * (a user holding it through a group loses it with the group's binding, or by leaving the group at the IdP).
 */
export const unassignable = (m) => (m.kind === 'user' || m.kind === 'group') && m.source !== 'scim' && !m.via;

/** The role's holders, read a page at a time (the first again whenever the role is read again, e.g. after Save). */
function useHolders(role) {
  const [list, setList] = useState({ items: [], total: 0, loaded: false });
  const [error, setError] = useState(null);
  const [loading, setLoading] = useState(false);
  const load = async (from) => {
    if (!role) return;
    setLoading(true);
    setError(null);
    try {
      const page = await api.get(admin(`roles/${role.id}/members?startIndex=${from}&count=${PAGE}`));
      setList((prev) => ({ items: from === 1 ? page.items : [...prev.items, ...page.items], total: page.totalResults,
        loaded: true }));
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    setList({ items: [], total: 0, loaded: !role });
    load(1);
  }, [role]);
  return { ...list, error, loading, more: () => load(list.items.length + 1) };
}

/** Moves focus to the group's row in the list (where its binding can be unassigned). */
function showGroup(groupId) {
  const row = document.querySelector(`tr[data-kind=group][data-id="${groupId}"]`);
  if (!row) return;
  row.scrollIntoView({ block: 'center' });
  row.focus();
}

/**
 * The role's Users tab: its holders (groups, users — also those holding it through a group —, access keys) with name,
 * username and what Rollcall knows of their last activity, a page at a time ("Show more"); the users picked in
 * "Select users" (assigned on Save) and the holders marked with ✕ (unassigned on Save). Nothing is written here: the
 * editor's Save does it.
 */
export function RoleUsers({ role, me, adding, removing, onAdd, onUndoAdd, onRemove, onKeep, error, refused }) {
  const [panel, setPanel] = useState(false);
  const assign = me.permissions.includes('roles:assign');
  const holders = useHolders(role);
  const members = holders.items;
  const title = role ? role.name : 'this role';
  const groupsShown = new Set(members.filter((m) => m.kind === 'group').map((m) => m.id));
  const backToButton = () => setTimeout(() => {
    const button = document.getElementById('select-users');
    if (button) button.focus();
  });
  return (
    <div>
      <div class="page-head">
        <h2 id="role-users">Users</h2>
        {assign && <button type="button" id="select-users" class="primary" onClick={() => setPanel(true)}>
          Select users</button>}
      </div>
      {!assign && <p class="muted">This access key may not assign roles (it needs roles:assign): the list is read-only.</p>}
      <p class="muted" id="last-login-note">There is no last login here: people sign in at your identity provider,
        which does not tell Rollcall when. “Updated” is when the identity provider last changed the user; an access
        key shows when it was last used.</p>
      <Problem error={error} id="members-error" />
      <Problem error={holders.error} id="members-load-error" />
      {role && !holders.loaded && !holders.error ? <p class="loading">Loading…</p>
        : members.length === 0 && adding.length === 0 ? (
        <p class="empty">{role ? 'Nobody holds this role.' : 'No users yet: Select users to assign this role when it is created.'}</p>
      ) : (
        <div class="table-wrap">
          <table class="members" aria-describedby="last-login-note">
            <caption class="visually-hidden">Holders of {title}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" class="wide-only">Username</th>
                <th scope="col" class="wide-only">Last activity</th>
                <th scope="col" class="wide-only">Source</th>
                <th scope="col"><span class="visually-hidden">Unassign</span></th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => {
                const marked = removing.has(m.bindingId);
                const key = m.via ? `${m.bindingId}-${m.id}` : m.bindingId;
                return (
                  <tr key={key} data-member={m.display} data-kind={m.kind} data-id={m.id} tabindex="-1"
                    data-via={m.via ? m.via.display : undefined}
                    class={`${marked ? 'marked' : ''}${refused === m.bindingId && !m.via ? ' refused' : ''}`}>
                    <th scope="row">
                      <span class="member-name">
                        {m.kind === 'user' ? <a href={`#/users/${m.id}`}>{nameOf(m)}</a> : nameOf(m)}
                      </span>
                      {m.kind === 'group' && <span class="tag">Group</span>}
                      {m.kind === 'access_key' && <span class="tag">Access key</span>}
                      {m.via && <span class="tag">Through group {m.via.display}</span>}
                      {m.workspace && <span class="tag">in {m.workspace}</span>}
                      <span class="narrow-only muted">
                        {m.kind === 'user' ? `${m.display} · ` : ''}{m.via ? 'Through a group' : sourceLabel(m.source)}
                        {' · '}{activity(m)}
                      </span>
                      {marked && <span class="tag will">Will be unassigned on Save</span>}
                    </th>
                    <td class="wide-only">{m.kind === 'user' ? m.display : '—'}</td>
                    <td class="wide-only nowrap">{activity(m)}</td>
                    <td class="wide-only">{m.via ? `Group ${m.via.display}` : sourceLabel(m.source)}</td>
                    <td class="unassign">
                      {assign && unassignable(m) && (marked ? (
                        <button type="button" class="link" onClick={() => onKeep(m.bindingId)}>Keep</button>
                      ) : (
                        <button type="button" class="icon" aria-label={`Unassign ${title} from ${nameOf(m)}`}
                          onClick={() => onRemove(m)}>✕</button>
                      ))}
                      {m.via && (
                        <span class="muted via-note">Holds it through the group{' '}
                          {groupsShown.has(m.via.id) ? (
                            <button type="button" class="link" onClick={() => showGroup(m.via.id)}>{m.via.display}</button>
                          ) : m.via.display}: unassign the role from the group, or change the group's members at your
                          identity provider</span>
                      )}
                      {!m.via && m.source === 'scim' && <span class="muted">Managed by your IdP</span>}
                      {m.kind === 'access_key' && <span class="muted">Set on the access key</span>}
                    </td>
                  </tr>
                );
              })}
              {adding.map((u) => (
                <tr key={`add-${u.id}`} data-member={u.userName} data-kind="user"
                  class={`added${refused === u.id ? ' refused' : ''}`}>
                  <th scope="row">
                    <span class="member-name">{u.displayName || u.userName}</span>
                    <span class="narrow-only muted">{u.userName} · Assigned here</span>
                    <span class="tag will">Will be assigned on Save</span>
                  </th>
                  <td class="wide-only">{u.userName}</td>
                  <td class="wide-only nowrap">{u.lastModified ? `Updated ${day(u.lastModified)}` : '—'}</td>
                  <td class="wide-only">Assigned here</td>
                  <td class="unassign">
                    <button type="button" class="icon" aria-label={`Unassign ${title} from ${u.displayName || u.userName}`}
                      onClick={() => onUndoAdd(u.id)}>✕</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {role && holders.loaded && (
        <p class="muted" id="members-count" aria-live="polite">
          Showing {members.length} of {holders.total} {holders.total === 1 ? 'holder' : 'holders'}
        </p>
      )}
      {members.length < holders.total && (
        <button type="button" class="link" id="more-members" disabled={holders.loading} onClick={holders.more}>
          {holders.loading ? 'Loading…' : `Show more (${holders.total - members.length} more)`}
        </button>
      )}
      {panel && (
        <SelectUsers holders={members} adding={adding} onClose={() => { setPanel(false); backToButton(); }}
          onPick={(users) => { setPanel(false); onAdd(users); backToButton(); }} />
      )}
    </div>
  );
}

/**
 * The "All users" side panel: search (server side), page on with "Show more users", tick one or more, "Add" puts them
 * in the role's list. Users holding the role on the whole organization already, or already picked, are shown ticked.
 */
function SelectUsers({ holders: members, adding, onClose, onPick }) {
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [list, setList] = useState({ items: [], total: 0, query: null });
  const [loadError, setLoadError] = useState(null);
  const [loading, setLoading] = useState(false);
  const [picked, setPicked] = useState(new Map());
  const latest = useRef('');
  // the holders read so far (a holder on a page not shown yet is assigned again harmlessly: the server keeps one binding)
  const holders = new Set(members.filter((m) => m.kind === 'user' && !m.workspace && !m.via).map((m) => m.id));
  const already = new Set(adding.map((u) => u.id));
  const load = async (q, from) => {
    setLoading(true);
    setLoadError(null);
    try {
      const page = await api.get(admin(`users?count=${PAGE}&startIndex=${from}${q ? `&search=${enc(q)}` : ''}`));
      if (q !== latest.current) return; // a later search has been typed meanwhile
      setList((prev) => ({
        items: from === 1 || prev.query !== q ? page.items : [...prev.items, ...page.items],
        total: page.totalResults,
        query: q,
      }));
    } catch (err) {
      setLoadError(err);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    const t = setTimeout(() => setQuery(search.trim()), 250);
    return () => clearTimeout(t);
  }, [search]);
  useEffect(() => {
    latest.current = query;
    load(query, 1);
  }, [query]);
  const more = list.items.length < list.total;
  return (
    <Dialog title="All users" open side onClose={onClose}>
      <label for="user-search">Search users</label>
      <input id="user-search" type="search" value={search} placeholder="User name or name" autofocus
        aria-describedby="user-count" onInput={(e) => setSearch(e.currentTarget.value)} />
      <p class="muted" id="user-count" aria-live="polite">
        {list.query === null ? 'Loading…' : `Showing ${list.items.length} of ${list.total} ${list.total === 1 ? 'user' : 'users'}`}
      </p>
      <Problem error={loadError} id="users-load-error" />
      <ul class="checks pick" aria-label="Users">
        {list.items.map((u) => {
          const held = holders.has(u.id);
          const queued = already.has(u.id);
          return (
            <li key={u.id}>
              <input type="checkbox" id={`pick-${u.id}`} disabled={held || queued}
                checked={held || queued || picked.has(u.id)}
                onChange={(e) => {
                  const next = new Map(picked);
                  if (e.currentTarget.checked) next.set(u.id, u);
                  else next.delete(u.id);
                  setPicked(next);
                }} />
              <label for={`pick-${u.id}`}>
                {u.displayName || u.userName} <span class="muted">{u.userName}</span>
                {held && <span class="muted"> (holds it)</span>}
                {queued && <span class="muted"> (in the list)</span>}
              </label>
            </li>
          );
        })}
        {list.query !== null && list.items.length === 0 && <li class="empty">No user matches.</li>}
      </ul>
      {more && (
        <button type="button" class="link" disabled={loading} onClick={() => load(list.query, list.items.length + 1)}>
          {loading ? 'Loading…' : `Show more users (${list.total - list.items.length} more)`}
        </button>
      )}
      <div class="actions">
        <button type="button" class="primary" disabled={picked.size === 0}
          onClick={() => onPick([...picked.values()])}>
          Add {picked.size || ''} {picked.size === 1 ? 'user' : 'users'}
        </button>
        <button type="button" onClick={onClose}>Cancel</button>
      </div>
    </Dialog>
  );
}
