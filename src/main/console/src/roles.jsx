import { useEffect, useRef, useState } from 'preact/hooks';
import { admin, api, enc } from './api.js';
import { Dialog, Menu, go, Problem, TabPanel, Tabs, useLoad } from './ui.jsx';
import { RoleUsers } from './role-users.jsx';

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

/** What a permission's scope reads as: "All workspaces" or the names of the workspaces it is limited to. */
function scopeText(ids, workspaces) {
  if (!ids) return 'All workspaces';
  const name = (id) => ((workspaces || []).find((w) => w.id === id) || { name: id }).name;
  return ids.length === 1 ? name(ids[0]) : `${ids.length} workspaces`;
}

/** The Scopes dialog of one workspace-level permission: all workspaces (the default) or only the ones ticked. */
function ScopesDialog({ permission, current, workspaces, loadError, onApply, onClose }) {
  const [mode, setMode] = useState(current ? 'some' : 'all');
  const [picked, setPicked] = useState(new Set(current || []));
  const [error, setError] = useState(null);
  const apply = (e) => {
    e.preventDefault();
    if (mode === 'some' && picked.size === 0) {
      setError('Tick at least one workspace, or choose All workspaces.');
      return;
    }
    onApply(mode === 'all' ? null : [...picked]);
  };
  return (
    <Dialog title={`Scopes of ${permission.key}`} open onClose={onClose}>
      <form onSubmit={apply} noValidate>
        <p class="muted">{permission.description}. Choose where holders of this role may do it.</p>
        <fieldset class="scope-mode">
          <legend>Where</legend>
          <input type="radio" name="scope-mode" id="scope-all" checked={mode === 'all'}
            onChange={() => { setMode('all'); setError(null); }} />
          <label for="scope-all">All workspaces</label>
          <input type="radio" name="scope-mode" id="scope-some" checked={mode === 'some'}
            onChange={() => setMode('some')} />
          <label for="scope-some">Only the workspaces ticked below</label>
        </fieldset>
        <Problem error={loadError} />
        {workspaces && (
          <fieldset class="scope-list" disabled={mode === 'all'}>
            <legend>Workspaces</legend>
            {workspaces.length === 0 && <p class="empty">This organization has no workspaces yet.</p>}
            <ul class="checks" aria-describedby={error ? 'scopes-error' : undefined}>
              {workspaces.map((w) => (
                <li key={w.id}>
                  <input type="checkbox" id={`scope-${w.id}`} checked={picked.has(w.id)}
                    onChange={(e) => {
                      const next = new Set(picked);
                      if (e.currentTarget.checked) next.add(w.id);
                      else next.delete(w.id);
                      setPicked(next);
                      setError(null);
                    }} />
                  <label for={`scope-${w.id}`}>{w.name} {w.description && <span class="muted">{w.description}</span>}</label>
                </li>
              ))}
            </ul>
          </fieldset>
        )}
        <Problem error={error} id="scopes-error" />
        <div class="actions">
          <button type="submit" class="primary">Apply scopes</button>
          <button type="button" onClick={onClose}>Cancel</button>
        </div>
      </form>
    </Dialog>
  );
}

/**
 * Permissions in collapsible sections, each with its description, selected count and "Select all"; a workspace-level
 * permission has a Scopes link (all workspaces unless limited).
 */
function PermissionPicker({ catalogue, selected, onChange, scopes, onScopes, disabled }) {
  const [scoping, setScoping] = useState(null);
  const [workspaces, workspacesError] = useLoad(
    () => (scoping || Object.keys(scopes).length ? api.get(admin('workspaces')) : Promise.resolve(null)),
    [scoping !== null || Object.keys(scopes).length > 0],
  );
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
                    {p.level !== 'org' && (
                      <span class="scopes" data-scopes={p.key}>
                        <span class="muted" id={`scope-of-${p.key}`}>{scopeText(scopes[p.key],
                          workspaces && workspaces.items)}</span>
                        <button type="button" class="link" disabled={disabled}
                          aria-label={`Scopes of ${p.key}`} aria-describedby={`scope-of-${p.key}`}
                          onClick={() => setScoping(p)}>Scopes</button>
                      </span>
                    )}
                  </li>
                ))}
              </ul>
            </details>
          );
        })}
      {scoping && (
        <ScopesDialog permission={scoping} current={scopes[scoping.key]} workspaces={workspaces && workspaces.items}
          loadError={workspacesError}
          onClose={() => {
            const key = scoping.key;
            setScoping(null);
            setTimeout(() => { const link = document.querySelector(`[data-scopes="${key}"] button`); if (link) link.focus(); });
          }}
          onApply={(ids) => {
            const key = scoping.key;
            const next = { ...scopes };
            if (ids) next[key] = ids;
            else delete next[key];
            onScopes(next, selected.has(key) ? null : new Set([...selected, key]));
            setScoping(null);
            setTimeout(() => { const link = document.querySelector(`[data-scopes="${key}"] button`); if (link) link.focus(); });
          }} />
      )}
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

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function RoleEditor({ me, id }) {
  const manage = me.permissions.includes('roles:manage');
  const assign = me.permissions.includes('roles:assign');
  // the role's id: the route's, or the one a Create gave (the page stays, so users picked before are not lost)
  const [roleId, setRoleId] = useState(id);
  const [role, loadError, reload] = useLoad(() => (roleId ? api.get(admin(`roles/${roleId}`)) : Promise.resolve(null)),
    [roleId]);
  const [catalogue] = useLoad(() => api.get(admin('permissions')), []);
  const [policies] = useLoad(() => api.get(admin('policies')), []);
  const [form, setForm] = useState(null);
  const [tab, setTab] = useState('general');
  const [error, setError] = useState(null);
  const [nameError, setNameError] = useState(null);
  const [membersError, setMembersError] = useState(null);
  const [refused, setRefused] = useState(null);
  const [notice, setNotice] = useState(null);
  const [action, setAction] = useState(null);
  const [busy, setBusy] = useState(false);
  const nameField = useRef(null);

  useEffect(() => {
    if (roleId && !role) return;
    if (form && form.id === (role && role.id)) return;
    setForm({
      id: role ? role.id : null,
      name: role ? role.name : '',
      description: role ? role.description || '' : '',
      mode: role && role.policies.length ? 'policies' : 'permissions',
      permissions: new Set(role ? role.permissions.map((p) => (typeof p === 'string' ? p : p.key)) : []),
      scopes: Object.fromEntries((role ? role.permissions : []).filter((p) => typeof p !== 'string')
        .map((p) => [p.key, p.workspaces])),
      policies: role ? role.policies.map((p) => p.value) : [],
      dirty: false, // the definition changed since it was read
      adding: [], // users picked in "Select users", assigned on Save
      removing: new Map(), // holders marked with ✕ by binding id, unassigned on Save
    });
    if (role && role.type === 'managed') setTab('users');
  }, [role]);

  if (loadError) return <section><h1>Role</h1><Problem error={loadError} /></section>;
  if (!form || !catalogue || (roleId && !role)) return <p class="loading">Loading…</p>;
  const managed = role && role.type === 'managed';
  const editable = manage && !managed;
  const set = (patch) => setForm({ ...form, ...patch, dirty: true });
  const members = (patch) => {
    setForm((f) => ({ ...f, ...patch }));
    setMembersError(null);
    setRefused(null);
  };
  const pending = form.adding.length + form.removing.size;

  /**
   * Save writes the definition (when it may and something changed, or the role is new), then assigns the users picked
   * and unassigns those marked. The first refusal stops it, is shown by the control it concerns, and what was not
   * done stays in the form; what was done is not repeated.
   */
  const save = async (e) => {
    e.preventDefault();
    setError(null);
    setNameError(null);
    setMembersError(null);
    setRefused(null);
    setNotice(null);
    if (editable && !form.name.trim()) {
      setTab('general');
      setNameError('A role needs a name.');
      setTimeout(() => nameField.current && nameField.current.focus());
      return;
    }
    const done = [];
    let target = form.id;
    setBusy(true);
    try {
      if (editable && (!form.id || form.dirty)) {
        const body = {
          name: form.name.trim(),
          description: form.description.trim() || null,
          permissions: form.mode === 'permissions'
            ? [...form.permissions].map((key) => (form.scopes[key] ? { key, workspaces: form.scopes[key] } : key)) : [],
          policies: form.mode === 'policies' ? form.policies.filter(Boolean) : [],
        };
        try {
          if (form.id) {
            await api.put(admin(`roles/${form.id}`), body);
            done.push(`Saved ${body.name}`);
          } else {
            const created = await api.post(admin('roles'), body);
            target = created.id;
            done.push(`Created ${body.name}`);
            setRoleId(created.id);
            // the address becomes the role's without a navigation, which would start a fresh editor
            window.history.replaceState(null, '', `#/roles/${created.id}`);
          }
          setForm((f) => ({ ...f, id: target, dirty: false }));
        } catch (err) {
          setError(err);
          if (err.status === 409 || /name/i.test(err.detail || '')) setNameError(err);
          return;
        }
      }
      let assigned = 0;
      let unassigned = 0;
      let stopped = false;
      const refuse = (err, who, key) => {
        stopped = true;
        const words = { status: err.status, detail: `${who}: ${err.detail || err.message}` };
        setMembersError(words);
        setError(words);
        setRefused(key);
        setTab('users');
      };
      try {
        for (const user of form.adding) {
          try {
            await api.post(admin(`users/${user.id}/roles`), { role: target });
          } catch (err) {
            refuse(err, user.displayName || user.userName, user.id);
            return;
          }
          assigned += 1;
          setForm((f) => ({ ...f, adding: f.adding.filter((u) => u.id !== user.id) }));
        }
        for (const [bindingId, m] of form.removing) {
          try {
            await api.del(admin(`${m.kind === 'group' ? 'groups' : 'users'}/${m.id}/roles/${bindingId}`));
          } catch (err) {
            refuse(err, m.displayName || m.display, bindingId);
            return;
          }
          unassigned += 1;
          setForm((f) => { const removing = new Map(f.removing); removing.delete(bindingId); return { ...f, removing }; });
        }
      } finally {
        const changes = [];
        if (assigned) changes.push(`assigned it to ${plural(assigned, 'user')}`);
        if (unassigned) changes.push(`unassigned it from ${plural(unassigned, 'holder')}`);
        if (done.length || changes.length) {
          setNotice(`${done.length ? done[0] : `Saved ${form.name}`}${changes.length ? `: ${changes.join(', ')}` : ''}.`);
        } else if (!stopped) {
          setNotice(`Nothing to save: ${form.name} is as shown.`);
        }
        if (assigned || unassigned) reload();
      }
      setForm(null);
      reload();
    } finally {
      setBusy(false);
    }
  };

  const tabs = managed
    ? [{ id: 'users', label: 'Users' }]
    : [{ id: 'general', label: 'General' }, { id: 'access', label: form.mode === 'policies' ? 'Policies' : 'Permissions' },
      { id: 'users', label: 'Users' }];
  const chosenCount = form.mode === 'permissions' ? form.permissions.size : form.policies.filter(Boolean).length;
  const canSave = editable || (assign && pending > 0 && !!form.id);

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
              scopes={form.scopes} onScopes={(scopes, permissions) => set(permissions ? { scopes, permissions } : { scopes })}
              onChange={(permissions) => set({ permissions })} />
          </TabPanel>
        )}
        {tab === 'access' && form.mode === 'policies' && (
          <TabPanel id="access">
            {policies ? <PolicyPicker policies={policies.items} chosen={form.policies} disabled={!editable}
              onChange={(chosen) => set({ policies: chosen })} /> : <p class="loading">Loading policies…</p>}
          </TabPanel>
        )}
        {tab === 'users' && (
          <TabPanel id="users">
            <RoleUsers role={role} me={me} adding={form.adding} removing={form.removing} error={membersError}
              refused={refused}
              onAdd={(users) => members({ adding: [...form.adding, ...users.filter((u) => !form.adding.some((a) => a.id === u.id))] })}
              onUndoAdd={(userId) => members({ adding: form.adding.filter((u) => u.id !== userId) })}
              onRemove={(m) => members({ removing: new Map([...form.removing, [m.bindingId, m]]) })}
              onKeep={(bindingId) => { const removing = new Map(form.removing); removing.delete(bindingId); members({ removing }); }} />
          </TabPanel>
        )}
        {(editable || assign) && (
          <div class="actions sticky">
            <button type="submit" class="primary" disabled={busy || !canSave} aria-describedby={error ? 'save-error' : undefined}>
              {form.id ? 'Save' : 'Create role'}
            </button>
            <span class="muted">
              {editable && `${form.mode === 'permissions' ? plural(chosenCount, 'permission') : `${chosenCount} ${chosenCount === 1 ? 'policy' : 'policies'}`} chosen`}
              {editable && pending > 0 && ' · '}
              {pending > 0 && `${plural(form.adding.length, 'user')} to assign, ${form.removing.size} to unassign`}
              {!editable && pending === 0 && 'Select users or mark holders with ✕, then Save'}
            </span>
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
