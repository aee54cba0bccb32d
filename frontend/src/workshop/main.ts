import '../styles/base.css';
import '../analysis/analysis.css';
import '../event-day/event-day.css';
import './workshop.css';
import type { Locale } from '../../../api/src/shared/locales.ts';
import { dayInTown } from '../../../api/src/shared/town-day.ts';
import { currentLocale, initI18n, t, translateDocument } from '../i18n/index.ts';
import { byId, h } from '../shared/dom.ts';
import { mountPageLanguageSelect } from '../shared/language-chooser.ts';
import { chooseLocaleForThisPage } from '../shared/locale-choice.ts';
import { loginForm } from '../shared/login-form.ts';
import { registerServiceWorker } from '../shared/offline/service-worker-registration.ts';
import { NoConnectionError, staffJson } from '../shared/offline/staff-request.ts';
import { requestPersistentStorage } from '../shared/offline/storage-persistence.ts';
import { anonymousContext, TabletSession, type StoredStaffSession } from '../shared/offline/tablet-session.ts';
import { scheduleSync } from '../shared/offline/sync-scheduler.ts';
import { CLUSTER_COLOURS, renderPoster } from './poster.ts';
import { allWorkshops, openWorkshopDatabase, waitingCount, type PosterActor, type StoredRegistry, type StoredWorkshop, type WorkshopDatabase } from './store.ts';
import { WorkshopSync, type WorkshopSyncOutcome } from './workshop-sync.ts';

/**
 * The workshop mode (`/workshop`, Partizipative Netzwerkanalyse) on a tablet or projector: the
 * facilitator starts from a key actor of the registry, adds actors (from the registry as
 * downloaded, or new), draws ties, moves actors into clusters and records dot votes; everything
 * is kept in IndexedDB and works without network (the page itself is kept by /workshop-sw.js).
 * "Finish and send" queues the poster; the shared sync scheduler sends it once connected.
 */
const UI_LOCALES: readonly Locale[] = ['de', 'en'];
const FACILITATOR_ROLES = ['coordinator', 'analyst', 'admin'];

let db: WorkshopDatabase;
const session = new TabletSession(
  { get: () => db.get('settings', 'session'), put: (value) => db.put('settings', value, 'session'), remove: () => db.delete('settings', 'session') },
  FACILITATOR_ROLES,
);
let registry: StoredRegistry | null = null;
let syncer: WorkshopSync;
let lastOutcome: WorkshopSyncOutcome | null = null;
let syncing = false;

const context = () => session.context();
const currentId = () => /^#w=([0-9a-f-]{36})$/i.exec(location.hash)?.[1]?.toLowerCase() ?? null;

/** While online: the registry's current actors onto the tablet, for offline use. */
async function downloadRegistry(): Promise<void> {
  const answer = await staffJson<Omit<StoredRegistry, 'downloadedAt'>>(context()!, 'GET', '/api/workshops/registry', undefined, 30_000);
  registry = { ...answer, downloadedAt: new Date().toISOString() };
  await db.put('registry', registry, 'current');
}

const kindLabel = (code: string) => registry?.labels[currentLocale()]?.kinds[code] ?? registry?.labels.de?.kinds[code] ?? code;
const fieldLabel = (code: string) => registry?.labels[currentLocale()]?.fieldsOfAction[code] ?? registry?.labels.de?.fieldsOfAction[code] ?? code;
const dotsText = (count: number) => t('workshop:dots', { count });

function renderStatus(waiting: number): void {
  const button = h('button', { type: 'button', class: 'secondary', id: 'ws-sync', disabled: syncing }, syncing ? t('workshop:syncing') : t('workshop:syncNow'));
  button.addEventListener('click', () => void syncer.run().then(render));
  const outcome = lastOutcome ? t(`workshop:outcome.${lastOutcome.kind}`, lastOutcome.kind === 'ok' ? { sent: lastOutcome.sent, rejected: lastOutcome.rejected } : {}) : '';
  byId('ws-status').replaceChildren(
    h('p', { id: 'ws-connection' }, navigator.onLine ? t('workshop:online') : t('workshop:offline')),
    h('p', { id: 'ws-waiting', role: 'status', 'data-waiting': String(waiting) }, t('workshop:waiting', { count: waiting }), outcome ? ` ${outcome}` : ''),
    button,
  );
}

function renderLogin(root: HTMLElement): void {
  const { form, email } = loginForm({
    signIn: async (address, password) => {
      try {
        const me = await staffJson<StoredStaffSession>(anonymousContext(), 'POST', '/api/auth/login', { email: address, password }, 15_000);
        if (!session.allows(me.user.role)) return t('workshop:login.wrongRole');
        await session.save(me);
        void requestPersistentStorage();
        await downloadRegistry().catch((error: unknown) => console.warn('registry not downloaded', error));
        await render();
        return null;
      } catch (error) {
        return error instanceof NoConnectionError ? t('workshop:offline') : error instanceof Error ? error.message : t('common:unexpectedError');
      }
    },
  });
  root.replaceChildren(h('section', { class: 'login', 'aria-labelledby': 'login-heading' }, h('h2', { id: 'login-heading' }, t('workshop:login.heading')), form));
  email.focus();
}

function field(id: string, label: string, control: HTMLElement, hint?: string): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('p', { class: 'hint' }, hint) : null);
}

function options(select: HTMLSelectElement, entries: [string, string][], empty?: string): HTMLSelectElement {
  if (empty !== undefined) select.append(h('option', { value: '' }, empty));
  for (const [value, label] of entries) select.append(h('option', { value }, label));
  return select;
}

/** Places a new actor on a ring around the key actor, so that nothing lands on top of another. */
function freePlace(workshop: StoredWorkshop): { x: number; y: number } {
  const index = workshop.actors.length;
  const angle = (index * 2.4) % (2 * Math.PI);
  const radius = 0.28 + 0.12 * ((index % 3) / 2);
  return { x: Math.min(0.97, Math.max(0.03, 0.5 + radius * Math.cos(angle))), y: Math.min(0.97, Math.max(0.03, 0.5 + radius * Math.sin(angle))) };
}

async function change(id: string, edit: (workshop: StoredWorkshop) => string | void): Promise<string | null> {
  const workshop = await db.get('workshops', id);
  if (!workshop || (workshop.state !== 'open' && workshop.state !== 'rejected')) return null;
  const problem = edit(workshop);
  if (typeof problem === 'string') return problem;
  await db.put('workshops', workshop);
  await render();
  return null;
}

async function renderHome(root: HTMLElement): Promise<void> {
  const workshops = await allWorkshops(db);
  const list =
    workshops.length > 0
      ? h(
          'ul',
          { id: 'ws-list' },
          ...workshops.map((workshop) => h('li', {}, h('a', { href: `#w=${workshop.id}` }, workshop.name), ` · ${workshop.heldOn} · `, h('span', { class: `ws-state ws-state--${workshop.state}` }, t(`workshop:state.${workshop.state}`)))),
        )
      : h('p', {}, t('workshop:noWorkshops'));
  const registryLine = registry
    ? t('workshop:registry.loaded', { count: registry.actors.length, when: new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(registry.downloadedAt)) })
    : t('workshop:registry.missing');
  const refresh = h('button', { type: 'button', class: 'secondary', id: 'ws-registry-refresh' }, t('workshop:registry.refresh'));
  const registryMessage = h('p', { role: 'status', id: 'ws-registry-message' });
  refresh.addEventListener('click', async () => {
    try {
      await downloadRegistry();
      await render();
    } catch (error) {
      registryMessage.textContent = error instanceof NoConnectionError ? t('workshop:offline') : error instanceof Error ? error.message : '';
    }
  });
  const sections: HTMLElement[] = [
    h('h2', {}, t('workshop:listHeading')),
    list,
    h('section', { 'aria-labelledby': 'registry-heading' }, h('h2', { id: 'registry-heading' }, t('workshop:registry.heading')), h('p', { id: 'ws-registry' }, registryLine), h('p', {}, refresh), registryMessage),
  ];
  if (registry && registry.actors.length > 0) {
    const name = h('input', { id: 'ws-name', required: true, maxlength: 120, value: t('workshop:new.defaultName') });
    const date = h('input', { id: 'ws-date', type: 'date', required: true, value: dayInTown() }); // the town's day, as workshop waves are dated
    const topic = h('input', { id: 'ws-topic', maxlength: 500 });
    const fieldOfAction = options(h('select', { id: 'ws-field' }), registry.fieldsOfAction.map((code) => [code, fieldLabel(code)]), t('workshop:none'));
    const key = options(h('select', { id: 'ws-key', required: true }), registry.actors.map((actor) => [actor.id, `${actor.name} (${kindLabel(actor.kind)})`]), t('workshop:choose'));
    const error = h('p', { class: 'form-error', role: 'alert', id: 'ws-new-error' });
    const form = h(
      'form',
      { id: 'ws-new', novalidate: true, 'aria-describedby': 'ws-new-error' },
      field('ws-name', t('workshop:new.name'), name),
      field('ws-date', t('workshop:new.date'), date),
      field('ws-topic', t('workshop:new.topic'), topic),
      field('ws-field', t('workshop:new.field'), fieldOfAction),
      field('ws-key', t('workshop:new.key'), key, t('workshop:new.keyHint')),
      error,
      h('button', { type: 'submit', class: 'primary', id: 'ws-start' }, t('workshop:new.start')),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const keyActor = registry!.actors.find((actor) => actor.id === key.value);
      if (!name.value.trim() || !/^\d{4}-\d{2}-\d{2}$/.test(date.value) || !keyActor) {
        error.textContent = t('workshop:new.required');
        return;
      }
      const id = crypto.randomUUID();
      await db.put('workshops', {
        id,
        name: name.value.trim(),
        heldOn: date.value,
        topic: topic.value.trim() || null,
        fieldOfAction: fieldOfAction.value || null,
        keyActorId: keyActor.id,
        actors: [{ ...keyActor, isNew: false, x: 0.5, y: 0.5, clusterId: null, dots: 0 }],
        clusters: [],
        ties: [],
        state: 'open',
        rejection: null,
        createdAt: new Date().toISOString(),
      });
      location.hash = `w=${id}`;
    });
    sections.push(h('section', { 'aria-labelledby': 'new-heading' }, h('h2', { id: 'new-heading' }, t('workshop:new.heading')), form));
  }
  root.replaceChildren(...sections);
}

function counter(id: string, label: string, count: number, editable: boolean, step: (delta: number) => void): HTMLElement {
  const minus = h('button', { type: 'button', class: 'secondary dot-button', id: `${id}-minus`, 'aria-label': t('workshop:dotsLess', { name: label }), disabled: !editable || count === 0 }, '−');
  const plus = h('button', { type: 'button', class: 'secondary dot-button', id: `${id}-plus`, 'aria-label': t('workshop:dotsMore', { name: label }), disabled: !editable }, '+');
  minus.addEventListener('click', () => step(-1));
  plus.addEventListener('click', () => step(1));
  return h('span', { class: 'dot-counter' }, minus, h('output', { id: `${id}-count`, 'aria-live': 'polite' }, String(count)), plus);
}

function renderWorkshop(root: HTMLElement, workshop: StoredWorkshop): void {
  const editable = workshop.state === 'open' || workshop.state === 'rejected';
  const id = workshop.id;
  const nameOf = (actorId: string) => workshop.actors.find((actor) => actor.id === actorId)?.name ?? actorId;
  const poster = renderPoster(
    workshop,
    editable,
    {
      moved: (actorId, x, y, clusterId) =>
        void change(id, (w) => {
          const actor = w.actors.find((a) => a.id === actorId)!;
          Object.assign(actor, { x, y }, clusterId !== undefined && clusterId !== null ? { clusterId } : {});
        }).then(() => (document.querySelector(`[data-actor="${actorId}"]`) as SVGGElement | null)?.focus()),
    },
    { poster: t('workshop:poster.label', { name: workshop.name }), dots: dotsText, keyActor: t('workshop:poster.keyActor') },
  );

  // Actors: add from the registry or new; per actor its cluster (the keyboard way to cluster), dots, removal.
  const onPoster = new Set(workshop.actors.map((actor) => actor.id));
  const existing = options(h('select', { id: 'ws-existing' }), (registry?.actors ?? []).filter((actor) => !onPoster.has(actor.id)).map((actor) => [actor.id, `${actor.name} (${kindLabel(actor.kind)})`]), t('workshop:choose'));
  const addExisting = h('button', { type: 'button', class: 'secondary', id: 'ws-add-existing', disabled: !editable }, t('workshop:actors.addExisting'));
  addExisting.addEventListener('click', () => {
    const actor = registry?.actors.find((a) => a.id === existing.value);
    if (actor) void change(id, (w) => void w.actors.push({ ...actor, isNew: false, ...freePlace(w), clusterId: null, dots: 0 }));
  });
  const newName = h('input', { id: 'ws-new-name', maxlength: 200 });
  const newKind = options(h('select', { id: 'ws-new-kind' }), (registry?.kinds ?? []).map((code) => [code, kindLabel(code)]), t('workshop:choose'));
  const newField = options(h('select', { id: 'ws-new-field' }), (registry?.fieldsOfAction ?? []).map((code) => [code, fieldLabel(code)]), t('workshop:none'));
  const newError = h('p', { class: 'form-error', role: 'alert', id: 'ws-new-actor-error' });
  const addNew = h('button', { type: 'submit', class: 'secondary', id: 'ws-add-new', disabled: !editable }, t('workshop:actors.addNew'));
  const newForm = h('form', { id: 'ws-new-actor', novalidate: true, 'aria-describedby': 'ws-new-actor-error' }, field('ws-new-name', t('workshop:actors.name'), newName), field('ws-new-kind', t('workshop:actors.kind'), newKind), field('ws-new-field', t('workshop:actors.field'), newField), newError, addNew);
  newForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = newName.value.trim();
    if (!name || !newKind.value) {
      newError.textContent = t('workshop:actors.required');
      return;
    }
    void change(id, (w) => void w.actors.push({ id: crypto.randomUUID(), name, kind: newKind.value, fieldsOfAction: newField.value ? [newField.value] : [], isNew: true, ...freePlace(w), clusterId: null, dots: 0 })).then(() => byId('ws-new-name').focus());
  });
  const actorRows = workshop.actors.map((actor: PosterActor) => {
    const cluster = options(h('select', { id: `ws-cluster-of-${actor.id}`, 'data-actor': actor.id, disabled: !editable }), workshop.clusters.map((c) => [c.id, c.name]), t('workshop:clusters.none'));
    cluster.value = actor.clusterId ?? '';
    cluster.addEventListener('change', () => void change(id, (w) => void (w.actors.find((a) => a.id === actor.id)!.clusterId = cluster.value || null)));
    const remove = h('button', { type: 'button', class: 'secondary', id: `ws-remove-${actor.id}`, disabled: !editable || actor.id === workshop.keyActorId, 'aria-label': t('workshop:actors.remove', { name: actor.name }) }, '×');
    remove.addEventListener('click', () =>
      void change(id, (w) => {
        w.actors = w.actors.filter((a) => a.id !== actor.id);
        w.ties = w.ties.filter((tie) => tie.from !== actor.id && tie.to !== actor.id);
      }),
    );
    return h(
      'tr',
      { 'data-actor': actor.id },
      h('th', { scope: 'row' }, actor.name, actor.id === workshop.keyActorId ? ` (${t('workshop:poster.keyActor')})` : '', actor.isNew ? h('span', { class: 'hint' }, ` · ${t('workshop:actors.isNew')}`) : ''),
      h('td', {}, kindLabel(actor.kind)),
      h('td', {}, h('label', { class: 'visually-hidden', for: `ws-cluster-of-${actor.id}` }, t('workshop:clusters.of', { name: actor.name })), cluster),
      h('td', {}, counter(`ws-dots-${actor.id}`, actor.name, actor.dots, editable, (delta) => void change(id, (w) => {
        const a = w.actors.find((x) => x.id === actor.id)!;
        a.dots = Math.max(0, a.dots + delta);
      }).then(() => document.getElementById(`ws-dots-${actor.id}-${delta > 0 ? 'plus' : 'minus'}`)?.focus()))),
      h('td', {}, remove),
    );
  });
  const actorTable = h(
    'table',
    { id: 'ws-actor-table' },
    h('caption', {}, t('workshop:actors.caption')),
    h('thead', {}, h('tr', {}, ...['name', 'kind', 'cluster', 'dots', 'remove'].map((column) => h('th', { scope: 'col' }, t(`workshop:actors.column.${column}`))))),
    h('tbody', {}, ...actorRows),
  );

  // Ties: from, to, kind, how often; refused here already when they repeat or join an actor to itself.
  const actorChoices = workshop.actors.map((actor) => [actor.id, actor.name] as [string, string]);
  const tieFrom = options(h('select', { id: 'ws-tie-from' }), actorChoices, t('workshop:choose'));
  const tieTo = options(h('select', { id: 'ws-tie-to' }), actorChoices, t('workshop:choose'));
  const tieKind = options(h('select', { id: 'ws-tie-kind' }), (registry?.tieKinds ?? ['information', 'joint_projects', 'referrals', 'shared_premises', 'funding']).map((code) => [code, t(`workshop:tieKinds.${code}`)]));
  const tieFrequency = options(h('select', { id: 'ws-tie-frequency' }), (registry?.frequencies ?? ['rarely', 'several_times_a_year', 'monthly', 'weekly']).map((code) => [code, t(`workshop:frequencies.${code}`)]), t('workshop:none'));
  const tieError = h('p', { class: 'form-error', role: 'alert', id: 'ws-tie-error' });
  const tieForm = h(
    'form',
    { id: 'ws-tie', novalidate: true, 'aria-describedby': 'ws-tie-error' },
    field('ws-tie-from', t('workshop:ties.from'), tieFrom),
    field('ws-tie-to', t('workshop:ties.to'), tieTo),
    field('ws-tie-kind', t('workshop:ties.kind'), tieKind),
    field('ws-tie-frequency', t('workshop:ties.frequency'), tieFrequency),
    tieError,
    h('button', { type: 'submit', class: 'secondary', id: 'ws-add-tie', disabled: !editable }, t('workshop:ties.add')),
  );
  tieForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void change(id, (w) => {
      if (!tieFrom.value || !tieTo.value) return t('workshop:ties.required');
      if (tieFrom.value === tieTo.value) return t('workshop:ties.self');
      const pair = [tieFrom.value, tieTo.value].sort().join(' ');
      if (w.ties.some((tie) => tie.kind === tieKind.value && [tie.from, tie.to].sort().join(' ') === pair)) return t('workshop:ties.duplicate');
      w.ties.push({ id: crypto.randomUUID(), from: tieFrom.value, to: tieTo.value, kind: tieKind.value, frequency: tieFrequency.value || null });
    }).then((problem) => {
      if (problem) tieError.textContent = problem;
      else byId('ws-tie-from').focus();
    });
  });
  const tieList = h(
    'ul',
    { id: 'ws-tie-list' },
    ...workshop.ties.map((tie) => {
      const remove = h('button', { type: 'button', class: 'secondary', disabled: !editable, 'aria-label': t('workshop:ties.remove', { from: nameOf(tie.from), to: nameOf(tie.to) }) }, '×');
      remove.addEventListener('click', () => void change(id, (w) => void (w.ties = w.ties.filter((x) => x.id !== tie.id))));
      return h('li', { 'data-tie': tie.id }, `${nameOf(tie.from)} – ${nameOf(tie.to)}: ${t(`workshop:tieKinds.${tie.kind}`)}${tie.frequency ? `, ${t(`workshop:frequencies.${tie.frequency}`)}` : ''} `, remove);
    }),
  );

  // Clusters: named groups with their own dots.
  const clusterName = h('input', { id: 'ws-cluster-name', maxlength: 120 });
  const clusterError = h('p', { class: 'form-error', role: 'alert', id: 'ws-cluster-error' });
  const clusterForm = h('form', { id: 'ws-cluster', novalidate: true, 'aria-describedby': 'ws-cluster-error' }, field('ws-cluster-name', t('workshop:clusters.name'), clusterName), clusterError, h('button', { type: 'submit', class: 'secondary', id: 'ws-add-cluster', disabled: !editable }, t('workshop:clusters.add')));
  clusterForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = clusterName.value.trim();
    if (!name) {
      clusterError.textContent = t('workshop:clusters.required');
      return;
    }
    void change(id, (w) => void w.clusters.push({ id: crypto.randomUUID(), name, dots: 0 })).then(() => byId('ws-cluster-name').focus());
  });
  const clusterList = h(
    'ul',
    { id: 'ws-cluster-list' },
    ...workshop.clusters.map((cluster, index) => {
      const remove = h('button', { type: 'button', class: 'secondary', disabled: !editable, 'aria-label': t('workshop:clusters.remove', { name: cluster.name }) }, '×');
      remove.addEventListener('click', () =>
        void change(id, (w) => {
          w.clusters = w.clusters.filter((c) => c.id !== cluster.id);
          for (const actor of w.actors) if (actor.clusterId === cluster.id) actor.clusterId = null;
        }),
      );
      const members = workshop.actors.filter((actor) => actor.clusterId === cluster.id).map((actor) => actor.name);
      return h(
        'li',
        { 'data-cluster': cluster.id },
        h('span', { class: 'cluster-swatch', 'data-colour': String(index % CLUSTER_COLOURS.length), 'aria-hidden': 'true' }),
        h('strong', {}, cluster.name),
        ` (${members.length > 0 ? members.join(', ') : t('workshop:clusters.empty')}) `,
        counter(`ws-cdots-${cluster.id}`, cluster.name, cluster.dots, editable, (delta) => void change(id, (w) => {
          const c = w.clusters.find((x) => x.id === cluster.id)!;
          c.dots = Math.max(0, c.dots + delta);
        }).then(() => document.getElementById(`ws-cdots-${cluster.id}-${delta > 0 ? 'plus' : 'minus'}`)?.focus())),
        ' ',
        remove,
      );
    }),
  );

  const finish = h('button', { type: 'button', class: 'primary', id: 'ws-finish', disabled: !editable }, t('workshop:finish.button'));
  finish.addEventListener('click', async () => {
    const w = await db.get('workshops', id);
    if (!w) return;
    await db.put('workshops', { ...w, state: 'queued', rejection: null });
    await render();
    void syncer.run();
  });
  const heading = [workshop.heldOn, workshop.topic, workshop.fieldOfAction ? fieldLabel(workshop.fieldOfAction) : null].filter(Boolean).join(' · ');
  root.replaceChildren(
    h('p', {}, h('a', { href: '#', id: 'ws-home' }, t('workshop:backToList'))),
    h('h2', { id: 'ws-title' }, workshop.name),
    h('p', {}, heading),
    h('p', { id: 'ws-state', role: 'status', 'data-state': workshop.state, class: `ws-state ws-state--${workshop.state}` }, t(`workshop:state.${workshop.state}`)),
    workshop.rejection ? h('p', { role: 'alert', id: 'ws-rejection', class: 'form-error' }, workshop.rejection) : '',
    h('div', { class: 'poster-frame' }, poster),
    h('p', { class: 'hint' }, t('workshop:poster.hint')),
    h('section', { 'aria-labelledby': 'actors-heading', id: 'ws-actors' }, h('h2', { id: 'actors-heading' }, t('workshop:actors.heading')), actorTable, editable ? h('div', { class: 'ws-forms' }, h('div', {}, field('ws-existing', t('workshop:actors.fromRegistry'), existing), addExisting), newForm) : null),
    h('section', { 'aria-labelledby': 'ties-heading', id: 'ws-ties' }, h('h2', { id: 'ties-heading' }, t('workshop:ties.heading')), tieList, editable ? tieForm : null),
    h('section', { 'aria-labelledby': 'clusters-heading', id: 'ws-clusters' }, h('h2', { id: 'clusters-heading' }, t('workshop:clusters.heading')), clusterList, editable ? clusterForm : null),
    h('section', { 'aria-labelledby': 'finish-heading', id: 'ws-finish-section' }, h('h2', { id: 'finish-heading' }, t('workshop:finish.heading')), h('p', {}, t('workshop:finish.hint')), h('p', {}, finish)),
  );
}

async function render(): Promise<void> {
  // Every change redraws the page: the control in use keeps the focus (keyboard operation).
  const active = document.activeElement;
  const focusId = active && active !== document.body ? active.id || null : null;
  const focusActor = active instanceof SVGElement ? active.getAttribute('data-actor') : null;
  await draw();
  const again = focusId ? document.getElementById(focusId) : focusActor ? document.querySelector<SVGGElement>(`#poster [data-actor="${focusActor}"]`) : null;
  if (again && again !== document.activeElement && !(again as HTMLButtonElement).disabled) again.focus();
}

async function draw(): Promise<void> {
  renderStatus(await waitingCount(db));
  const root = byId('view');
  // Offline without a session the poster can still be built; sending waits for a sign-in.
  if (!session.current && navigator.onLine) return renderLogin(root);
  const id = currentId();
  const workshop = id ? await db.get('workshops', id) : undefined;
  if (workshop) renderWorkshop(root, workshop);
  else await renderHome(root);
}

async function start(): Promise<void> {
  const chosen = chooseLocaleForThisPage();
  const locale = UI_LOCALES.includes(chosen) ? chosen : 'de';
  await initI18n(locale, ['workshop', 'common']);
  translateDocument();
  db = await openWorkshopDatabase(() => location.reload());
  await session.load();
  registry = (await db.get('registry', 'current')) ?? null;
  syncer = new WorkshopSync(db, context);
  syncer.onChange((running, outcome) => {
    syncing = running;
    if (outcome) lastOutcome = outcome;
    void render();
  });
  void registerServiceWorker({ url: '/workshop-sw.js', scope: '/workshop' }, (activate) => {
    const update = h('button', { type: 'button', class: 'secondary', id: 'ws-update' }, t('workshop:update'));
    update.addEventListener('click', activate);
    byId('ws-status').append(update);
  });
  window.addEventListener('online', () => void render());
  window.addEventListener('offline', () => void render());
  window.addEventListener('hashchange', () => void render().then(() => byId('view').focus()));
  mountPageLanguageSelect(byId<HTMLSelectElement>('ui-language'), locale, UI_LOCALES, () => void render());
  const reach = navigator.onLine ? await session.refresh() : 'offline';
  if (session.current && reach === 'online') await downloadRegistry().catch((error: unknown) => console.warn('registry not downloaded', error));
  if (!session.current && reach === 'online') {
    renderStatus(await waitingCount(db));
    renderLogin(byId('view'));
    return;
  }
  await render();
  scheduleSync(syncer);
}

void start().catch((error: unknown) => {
  console.error(error);
  const main = document.getElementById('view');
  if (main) main.textContent = t('common:unexpectedError');
});
