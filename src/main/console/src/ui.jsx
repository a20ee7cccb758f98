import { useEffect, useRef, useState } from 'preact/hooks';

/** A server refusal or a check, in words, next to the control it is about; announced to screen readers. */
export function Problem({ error, id }) {
  if (!error) return null;
  const text = typeof error === 'string' ? error : describe(error);
  return (
    <p class="problem" role="alert" id={id}>
      {text}
    </p>
  );
}

export function describe(error) {
  if (!error) return '';
  const what = {
    400: 'Not accepted',
    403: 'Not allowed',
    404: 'Not found',
    409: 'Conflict',
    412: 'Changed meanwhile',
  }[error.status];
  return what ? `${what}: ${error.detail}` : error.detail || String(error);
}

/** A modal dialog (the platform's <dialog>: focus moves in, Escape closes, focus goes back). */
export function Dialog({ title, open, onClose, children, wide, side }) {
  const ref = useRef(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  const titleId = `dialog-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <dialog
      ref={ref}
      class={`dialog${wide ? ' wide' : ''}${side ? ' side' : ''}`}
      aria-labelledby={titleId}
      onClose={() => open && onClose()}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open && (
        <div class="dialog-body">
          <div class="dialog-head">
            <h2 id={titleId}>{title}</h2>
            <button type="button" class="icon" aria-label="Close" onClick={onClose}>
              ✕
            </button>
          </div>
          {children}
        </div>
      )}
    </dialog>
  );
}

/** The three-dot menu: a button that opens a list of actions; arrow keys move, Escape closes. */
export function Menu({ label, items }) {
  const [open, setOpen] = useState(false);
  const root = useRef(null);
  useEffect(() => {
    if (!open) return undefined;
    const first = root.current && root.current.querySelector('[role=menuitem]');
    if (first) first.focus();
    const away = (e) => {
      if (root.current && !root.current.contains(e.target)) setOpen(false);
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);
  const onKey = (e) => {
    const entries = [...root.current.querySelectorAll('[role=menuitem]')];
    const at = entries.indexOf(document.activeElement);
    if (e.key === 'Escape') {
      setOpen(false);
      root.current.querySelector('button').focus();
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      entries[(at + 1) % entries.length].focus();
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      entries[(at - 1 + entries.length) % entries.length].focus();
    }
  };
  return (
    <div class="menu" ref={root} onKeyDown={onKey}>
      <button type="button" class="icon kebab" aria-haspopup="menu" aria-expanded={open} aria-label={label}
        onClick={() => setOpen(!open)}>
        ⋮
      </button>
      {open && (
        <ul role="menu" class="menu-list">
          {items.map((item) => (
            <li role="none" key={item.label}>
              <button type="button" role="menuitem" class={item.danger ? 'danger' : ''}
                onClick={() => {
                  setOpen(false);
                  item.onSelect();
                }}>
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Tabs (WAI-ARIA tabs pattern): arrow keys move between them. */
export function Tabs({ label, tabs, current, onChange }) {
  const onKey = (e) => {
    const at = tabs.findIndex((t) => t.id === current);
    let next = null;
    if (e.key === 'ArrowRight') next = tabs[(at + 1) % tabs.length];
    if (e.key === 'ArrowLeft') next = tabs[(at - 1 + tabs.length) % tabs.length];
    if (next) {
      e.preventDefault();
      onChange(next.id);
      const el = document.getElementById(`tab-${next.id}`);
      if (el) el.focus();
    }
  };
  return (
    <div role="tablist" aria-label={label} class="tabs" onKeyDown={onKey}>
      {tabs.map((tab) => (
        <button type="button" role="tab" id={`tab-${tab.id}`} key={tab.id} aria-selected={tab.id === current}
          aria-controls={`panel-${tab.id}`} tabIndex={tab.id === current ? 0 : -1} onClick={() => onChange(tab.id)}>
          {tab.label}
        </button>
      ))}
    </div>
  );
}

export function TabPanel({ id, children }) {
  return (
    <div role="tabpanel" id={`panel-${id}`} aria-labelledby={`tab-${id}`} class="tabpanel">
      {children}
    </div>
  );
}

/** Loads once (and again when `deps` change); gives [value, error, reload]. */
export function useLoad(load, deps) {
  const [state, setState] = useState({ value: null, error: null, loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (value) => live && setState({ value, error: null, loading: false }),
      (error) => live && setState({ value: null, error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, round]);
  return [state.value, state.error, () => setRound((r) => r + 1), state.loading];
}

export function sourceLabel(source) {
  return { scim: 'From your identity provider', local: 'Assigned here', system: 'Fallback role' }[source] || source;
}

export function go(path) {
  window.location.hash = `#/${path}`;
}
