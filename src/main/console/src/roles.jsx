import { useEffect, useRef, useState } from 'preact/hooks';
import { admin, api, enc } from './api.js';
import { Dialog, Menu, go, Problem, TabPanel, Tabs, sourceLabel, useLoad } from './ui.jsx';

const count = (role, what) => (role.counts && role.counts[what]) || 0;

/** Duplicate (name the copy) and delete (confirm) dialogs, shared by the list and the editor. */
function RoleActions({ action, onDone, onClose }) {
  const [name, setName] = useState(action && action.kind === 'duplicate' ? `${action.role.name} (copy)` : '');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  if (!action) return null;
  const { role, kind } = action;
  const run = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (kind === 'duplicate') {
        if (!name.trim()) {
          setError('Give the copy a name.');
          return;
        }
        const copy = await api.post(admin(`roles/${role.id}/duplicate`), { name: name.trim() });
        onDone(copy);
      } else {
        await api.del(admin(`roles/${role.id}`));
        onDone(null);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={kind === 'duplicate' ? `Duplicate ${role.name}` : `Delete ${role.name}?`} open onClose={onClose}>
      <form onSubmit={run} noValidate>
        {kind === 'duplicate' ? (
          <>
            <p>The copy is a custom role with the same policies and permissions, and no users.</p>
            <label for="copy-name">Name of the copy</label>
            <input id="copy-name" value={name} required aria-invalid={error ? 'true' : 'false'}
              aria-describedby="copy-error" onInput={(e) => setName(e.currentTarget.value)} />
          </>
        ) : (
          <p>Users and groups holding only this role would be left without a role, so the server refuses that.
            Everyone else loses it.</p>
        )}
        <Problem error={error} id="copy-error" />
        <div class="actions">
          <button type="submit" class={kind === 'delete' ? 'danger' : 'primary'} disabled={busy}>
            {kind === 'duplicate' ? 'Duplicate' : 'Delete role'}
          </button>
          <button type="button" onClick={onClose}>Cancel</button>
        </div>
      </form>
    </Dialog>
  );
}

export function RolesPage({ me }) {
  const initial = new URLSearchParams(window.location.hash.split('?')[1] || '').get('tab') === 'custom' ? 'custom' : 'managed';
  const [tab, setTab] = useState(initial);
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [action, setAction] = useState(null);
  const [notice, setNotice] = useState(null);
  const manage = me.permissions.includes('roles:manage');
  const [roles, error, reload, loading] = useLoad(
    () => api.get(admin(`roles?type=${tab}${tab === 'custom' && query ? `&search=${enc(query)}` : ''}`)),
    [tab, query],
  );
  useEffect(() => {
    const t = setTimeout(() => setQuery(search.trim()), 250);
    return () => clearTimeout(t);
  }, [search]);
  const menu = (role) => {
    const items = [];
    if (role.type === 'custom') {
      items.push({ label: manage ? 'Edit' : 'View', onSelect: () => go(`roles/${role.id}`) });
    } else {
      items.push({ label: 'Manage users', onSelect: () => go(`roles/${role.id}`) });
    }
    if (manage) {
      items.push({ label: 'Duplicate', onSelect: () => setAction({ kind: 'duplicate', role }) });
      if (role.type === 'custom') items.push({ label: 'Delete', danger: true, onSelect: () => setAction({ kind: 'delete', role }) });
    }
    return items;
  };
  return (
    <section>
      <div class="page-head">
        <h1>Access roles</h1>
        {manage && (
          <a class="button primary" href="#/roles/new">Create role</a>
        )}
      </div>
      <p class="lead">Roles are sets of permissions. Default roles are made and kept up to date by the platform: only
        who holds them can change. Custom roles are yours.</p>
      {notice && <p class="notice" role="status">{notice}</p>}
      <Tabs label="Role types" current={tab} onChange={(t) => { setTab(t); setNotice(null); }}
        tabs={[{ id: 'managed', label: 'Default' }, { id: 'custom', label: 'Custom' }]} />
      <TabPanel id={tab}>
        {tab === 'custom' && (
          <div class="search">
            <label for="role-search">Search custom roles</label>
            <input id="role-search" type="search" value={search} placeholder="Name or description"
              onInput={(e) => setSearch(e.currentTarget.value)} />
          </div>
        )}
        <Problem error={error} />
        {roles && (
          <div class="table-wrap">
            <table class="roles">
              <caption class="visually-hidden">{tab === 'custom' ? 'Custom roles' : 'Default roles'}</caption>
              <thead>
                <tr>
                  <th scope="col">Role name</th>
                  <th scope="col" class="wide-only">Description</th>
                  <th scope="col" class="num">Users</th>
                  <th scope="col" class="num">Permissions</th>
                  <th scope="col" class="num wide-only">Scopes</th>
                  <th scope="col"><span class="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {roles.items.map((role) => (
                  <tr key={role.id} data-role={role.value}>
                    <th scope="row">
                      <a href={`#/roles/${role.id}`}>{role.name}</a>
                      <span class="narrow-only muted">{role.description}</span>
                    </th>
                    <td class="wide-only">{role.description}</td>
                    <td class="num">{count(role, 'users')}</td>
                    <td class="num">{count(role, 'permissions')}</td>
                    <td class="num wide-only">{count(role, 'scopes')}</td>
                    <td class="menu-cell"><Menu label={`Actions for ${role.name}`} items={menu(role)} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
            {!loading && roles.items.length === 0 && (
              <p class="empty">{query ? `No custom role matches “${query}”.` : 'No custom roles yet.'}</p>
            )}
          </div>
        )}
      </TabPanel>
      <RoleActions key={action ? action.kind + action.role.id : 'none'} action={action} onClose={() => setAction(null)}
        onDone={(copy) => {
          setAction(null);
          if (copy) {
            go(`roles/${copy.id}`);
          } else {
            setNotice(`Deleted ${action.role.name}.`);
            reload();
          }
        }} />
    </section>
  );
}

/** Permissions in collapsible sections, each with its description, selected count and "Select all". */
function PermissionPicker({ catalogue, selected, onChange, disabled }) {
  const toggle = (key, on) => {
    const next = new Set(selected);
    if (on) next.add(key);
    else next.delete(key);
    onChange(next);
  };
  return (
    <div class="sections">
      {catalogue.sections
        .filter((section) => section.permissions.some((p) => p.key !== 'scim:provision'))
        .map((section) => {
          const keys = section.permissions.map((p) => p.key).filter((k) => k !== 'scim:provision');
          const chosen = keys.filter((k) => selected.has(k)).length;
          const slug = section.name.replace(/\W+/g, '-').toLowerCase();
          return (
            <details class="section" key={section.name} data-section={section.name}>
              <summary>
                <span class="section-name">{section.name}</span>
                <span class="count" aria-label={`${chosen} of ${keys.length} selected`}>{chosen} / {keys.length}</span>
              </summary>
              <p class="muted" id={`desc-${slug}`}>{section.description}</p>
              <button type="button" class="link" disabled={disabled || chosen === keys.length}
                aria-describedby={`desc-${slug}`}
                onClick={() => onChange(new Set([...selected, ...keys]))}>
                Select all in {section.name}
              </button>
              <ul class="checks">
                {section.permissions.filter((p) => p.key !== 'scim:provision').map((p) => (
                  <li key={p.key}>
                    <input type="checkbox" id={`perm-${p.key}`} checked={selected.has(p.key)} disabled={disabled}
                      onChange={(e) => toggle(p.key, e.currentTarget.checked)} />
                    <label for={`perm-${p.key}`}>
                      <code>{p.key}</code> {p.description}
                      <span class="level">{p.level === 'org' ? 'organization' : 'per workspace'}</span>
                    </label>
                  </li>
                ))}
              </ul>
            </details>
          );
        })}
    </div>
  );
}

/** "Apply another policy": rows of type (Managed / Organization) and policy. */
function PolicyPicker({ policies, chosen, onChange, disabled }) {
  const typeOf = (id) => (policies.find((p) => p.id === id) || {}).type || 'managed';
  const [rows, setRows] = useState(() => (chosen.length ? chosen : ['']).map((id) => ({ type: typeOf(id), id })));
  const update = (next) => {
    setRows(next);
    onChange(next.map((r) => r.id).filter(Boolean));
  };
  return (
    <div class="policies">
      {rows.map((row, i) => (
        <fieldset class="policy-row" key={i}>
          <legend>Policy {i + 1}</legend>
          <label for={`policy-type-${i}`}>Type</label>
          <select id={`policy-type-${i}`} value={row.type} disabled={disabled}
            onChange={(e) => update(rows.map((r, j) => (j === i ? { type: e.currentTarget.value, id: '' } : r)))}>
            <option value="managed">Managed</option>
            <option value="organization">Organization</option>
          </select>
          <label for={`policy-${i}`}>Policy</label>
          <select id={`policy-${i}`} value={row.id} disabled={disabled}
            onChange={(e) => update(rows.map((r, j) => (j === i ? { ...r, id: e.currentTarget.value } : r)))}>
            <option value="">Choose a policy…</option>
            {policies.filter((p) => p.type === row.type).map((p) => <option value={p.id} key={p.id}>{p.name}</option>)}
          </select>
          {rows.length > 1 && (
            <button type="button" class="link" disabled={disabled}
              onClick={() => update(rows.filter((_, j) => j !== i))}>Remove policy {i + 1}</button>
          )}
        </fieldset>
      ))}
      <button type="button" class="link" disabled={disabled || rows.some((r) => !r.id)}
        onClick={() => setRows([...rows, { type: 'managed', id: '' }])}>
        Apply another policy
      </button>
    </div>
  );
}

function Members({ role, me, onChanged }) {
  const [panel, setPanel] = useState(false);
  const [error, setError] = useState(null);
  const assign = me.permissions.includes('roles:assign');
  const unassign = async (member) => {
    setError(null);
    try {
      const bindings = await api.get(admin(`users/${member.id}/roles`));
      const binding = bindings.items.find((b) => b.role.id === role.id && (b.workspace ? b.workspace.name : null) === (member.workspace || null));
      if (!binding) throw new Error(`${member.display} no longer holds ${role.name} directly.`);
      await api.del(admin(`users/${member.id}/roles/${binding.id}`));
      onChanged(`Removed ${role.name} from ${member.display}.`);
    } catch (err) {
      setError(err);
    }
  };
  const members = role.members || [];
  return (
    <div>
      <div class="page-head">
        <h2>Users</h2>
        {assign && <button type="button" class="primary" onClick={() => setPanel(true)}>Select users</button>}
      </div>
      <Problem error={error} id="members-error" />
      {members.length === 0 ? (
        <p class="empty">Nobody holds this role directly.</p>
      ) : (
        <div class="table-wrap">
          <table class="members">
            <caption class="visually-hidden">Holders of {role.name}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col" class="wide-only">Where</th>
                <th scope="col">Source</th>
                <th scope="col"><span class="visually-hidden">Unassign</span></th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={`${m.kind}-${m.id}-${m.workspace}`} data-member={m.display}>
                  <th scope="row">{m.kind === 'user' ? <a href={`#/users/${m.id}`}>{m.display}</a> : m.display}</th>
                  <td>{{ user: 'User', group: 'Group', access_key: 'Access key' }[m.kind] || m.kind}</td>
                  <td class="wide-only">{m.workspace || 'Whole organization'}</td>
                  <td>{sourceLabel(m.source)}</td>
                  <td>
                    {assign && m.kind === 'user' && m.source !== 'scim' && (
                      <button type="button" class="icon" aria-label={`Unassign ${role.name} from ${m.display}`}
                        onClick={() => unassign(m)}>✕</button>
                    )}
                    {m.source === 'scim' && <span class="muted">Managed by your IdP</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {panel && <SelectUsers role={role} onClose={() => setPanel(false)}
        onAssigned={(n) => { setPanel(false); onChanged(`Assigned ${role.name} to ${n} user${n === 1 ? '' : 's'}.`); }} />}
    </div>
  );
}

/** The "All users" side panel: search, tick, assign. */
function SelectUsers({ role, onClose, onAssigned }) {
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [picked, setPicked] = useState(new Map());
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const holders = new Set((role.members || []).filter((m) => m.kind === 'user' && !m.workspace).map((m) => m.id));
  const [users, loadError] = useLoad(() => api.get(admin(`users?count=50${query ? `&search=${enc(query)}` : ''}`)), [query]);
  useEffect(() => {
    const t = setTimeout(() => setQuery(search.trim()), 250);
    return () => clearTimeout(t);
  }, [search]);
  const assign = async () => {
    setBusy(true);
    setError(null);
    let done = 0;
    try {
      for (const [id, user] of picked) {
        try {
          await api.post(admin(`users/${id}/roles`), { role: role.id });
          done += 1;
        } catch (err) {
          err.detail = `${user.userName}: ${err.detail}`;
          throw err;
        }
      }
      onAssigned(done);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="All users" open side onClose={onClose}>
      <label for="user-search">Search users</label>
      <input id="user-search" type="search" value={search} placeholder="User name or name"
        onInput={(e) => setSearch(e.currentTarget.value)} />
      <Problem error={loadError} />
      {users && (
        <ul class="checks pick" aria-label="Users">
          {users.items.map((u) => (
            <li key={u.id}>
              <input type="checkbox" id={`pick-${u.id}`} disabled={holders.has(u.id)}
                checked={holders.has(u.id) || picked.has(u.id)}
                onChange={(e) => {
                  const next = new Map(picked);
                  if (e.currentTarget.checked) next.set(u.id, u);
                  else next.delete(u.id);
                  setPicked(next);
                }} />
              <label for={`pick-${u.id}`}>
                {u.displayName || u.userName} <span class="muted">{u.userName}</span>
                {holders.has(u.id) && <span class="muted"> (holds it)</span>}
              </label>
            </li>
          ))}
          {users.items.length === 0 && <li class="empty">No user matches.</li>}
        </ul>
      )}
      <Problem error={error} id="assign-error" />
      <div class="actions">
        <button type="button" class="primary" disabled={busy || picked.size === 0} onClick={assign}>
          Assign {picked.size || ''} {picked.size === 1 ? 'user' : 'users'}
        </button>
        <button type="button" onClick={onClose}>Cancel</button>
      </div>
    </Dialog>
  );
}

export function RoleEditor({ me, id }) {
  const manage = me.permissions.includes('roles:manage');
  const [role, loadError, reload] = useLoad(() => (id ? api.get(admin(`roles/${id}`)) : Promise.resolve(null)), [id]);
  const [catalogue] = useLoad(() => api.get(admin('permissions')), []);
  const [policies] = useLoad(() => api.get(admin('policies')), []);
  const [form, setForm] = useState(null);
  const [tab, setTab] = useState('general');
  const [error, setError] = useState(null);
  const [nameError, setNameError] = useState(null);
  const [notice, setNotice] = useState(null);
  const [action, setAction] = useState(null);
  const [busy, setBusy] = useState(false);
  const nameField = useRef(null);

  useEffect(() => {
    if (id && !role) return;
    if (form && form.id === (role && role.id)) return;
    setForm({
      id: role ? role.id : null,
      name: role ? role.name : '',
      description: role ? role.description || '' : '',
      mode: role && role.policies.length ? 'policies' : 'permissions',
      permissions: new Set(role ? role.permissions : []),
      policies: role ? role.policies.map((p) => p.value) : [],
    });
    if (role && role.type === 'managed') setTab('users');
  }, [role]);

  if (loadError) return <section><h1>Role</h1><Problem error={loadError} /></section>;
  if (!form || !catalogue || (id && !role)) return <p class="loading">Loading…</p>;
  const managed = role && role.type === 'managed';
  const editable = manage && !managed;
  const set = (patch) => setForm({ ...form, ...patch });

  const save = async (e) => {
    e.preventDefault();
    setError(null);
    setNameError(null);
    if (!form.name.trim()) {
      setTab('general');
      setNameError('A role needs a name.');
      setTimeout(() => nameField.current && nameField.current.focus());
      return;
    }
    const body = {
      name: form.name.trim(),
      description: form.description.trim() || null,
      permissions: form.mode === 'permissions' ? [...form.permissions] : [],
      policies: form.mode === 'policies' ? form.policies.filter(Boolean) : [],
    };
    setBusy(true);
    try {
      if (form.id) {
        await api.put(admin(`roles/${form.id}`), body);
        setNotice(`Saved ${body.name}.`);
        reload();
        setForm(null);
      } else {
        const created = await api.post(admin('roles'), body);
        go(`roles/${created.id}`);
      }
    } catch (err) {
      setError(err);
      if (err.status === 409 || /name/i.test(err.detail || '')) setNameError(err);
    } finally {
      setBusy(false);
    }
  };

  const tabs = managed
    ? [{ id: 'users', label: 'Users' }]
    : [{ id: 'general', label: 'General' }, { id: 'access', label: form.mode === 'policies' ? 'Policies' : 'Permissions' }]
      .concat(role ? [{ id: 'users', label: 'Users' }] : []);
  const chosenCount = form.mode === 'permissions' ? form.permissions.size : form.policies.filter(Boolean).length;

  return (
    <section>
      <p class="crumbs"><a href={`#/roles${managed ? '' : '?tab=custom'}`}>Access roles</a> /</p>
      <div class="page-head">
        <h1>{role ? role.name : 'Create role'}</h1>
        {role && manage && (
          <div class="actions">
            <button type="button" onClick={() => setAction({ kind: 'duplicate', role })}>Duplicate</button>
            {!managed && <button type="button" class="danger" onClick={() => setAction({ kind: 'delete', role })}>Delete</button>}
          </div>
        )}
      </div>
      {managed && <p class="lead">{role.description} This is a default role: the platform keeps its permissions up to
        date, and only who holds it can change here. {role.permissions.length} permissions.</p>}
      {notice && <p class="notice" role="status">{notice}</p>}
      <form onSubmit={save} noValidate>
        <Tabs label="Role editor" current={tab} onChange={setTab} tabs={tabs} />
        {tab === 'general' && !managed && (
          <TabPanel id="general">
            <label for="role-name">Role name <span aria-hidden="true">*</span></label>
            <input id="role-name" ref={nameField} value={form.name} required disabled={!editable}
              aria-invalid={nameError ? 'true' : 'false'} aria-describedby={nameError ? 'role-name-error' : undefined}
              onInput={(e) => { set({ name: e.currentTarget.value }); setNameError(null); }} />
            <Problem error={nameError} id="role-name-error" />
            <label for="role-description">Role description</label>
            <textarea id="role-description" rows={3} value={form.description} disabled={!editable}
              onInput={(e) => set({ description: e.currentTarget.value })} />
            <fieldset class="mode">
              <legend>Build this role from</legend>
              <input type="radio" name="mode" id="mode-permissions" checked={form.mode === 'permissions'} disabled={!editable}
                onChange={() => set({ mode: 'permissions' })} />
              <label for="mode-permissions">Permissions, ticked by section</label>
              <input type="radio" name="mode" id="mode-policies" checked={form.mode === 'policies'} disabled={!editable}
                onChange={() => set({ mode: 'policies' })} />
              <label for="mode-policies">Policies (Managed or Organization)</label>
            </fieldset>
          </TabPanel>
        )}
        {tab === 'access' && form.mode === 'permissions' && (
          <TabPanel id="access">
            <p class="muted">{form.permissions.size} permissions selected. Open a section to choose.</p>
            <PermissionPicker catalogue={catalogue} selected={form.permissions} disabled={!editable}
              onChange={(permissions) => set({ permissions })} />
          </TabPanel>
        )}
        {tab === 'access' && form.mode === 'policies' && (
          <TabPanel id="access">
            {policies ? <PolicyPicker policies={policies.items} chosen={form.policies} disabled={!editable}
              onChange={(chosen) => set({ policies: chosen })} /> : <p class="loading">Loading policies…</p>}
          </TabPanel>
        )}
        {tab === 'users' && role && (
          <TabPanel id="users">
            <Members role={role} me={me} onChanged={(text) => { setNotice(text); reload(); }} />
          </TabPanel>
        )}
        {editable && tab !== 'users' && (
          <div class="actions sticky">
            <button type="submit" class="primary" disabled={busy} aria-describedby={error ? 'save-error' : undefined}>
              {form.id ? 'Save' : 'Create role'}
            </button>
            <span class="muted">{chosenCount} {form.mode === 'permissions' ? 'permissions' : 'policies'} chosen</span>
            <Problem error={error} id="save-error" />
          </div>
        )}
      </form>
      <RoleActions key={action ? action.kind : 'none'} action={action} onClose={() => setAction(null)}
        onDone={(copy) => {
          setAction(null);
          go(copy ? `roles/${copy.id}` : 'roles?tab=custom');
        }} />
    </section>
  );
}
