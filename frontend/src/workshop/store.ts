import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { StoredStaffSession } from '../shared/offline/tablet-session.ts';

/**
 * The workshop mode on the facilitator's tablet, in IndexedDB (its own database, apart from the
 * interviews' and the event day's): the registry's current actors as downloaded while online,
 * and each workshop's poster as it is built. Organisations only — no person data lives here.
 * A poster is edited while `open`; "finish and send" makes it `queued` (no more changes) and the
 * sync sends it whole under the id the tablet gave it, so a repeat is stored once.
 */
export interface RegistryActor {
  id: string;
  name: string;
  kind: string;
  fieldsOfAction: string[];
}

export interface CodeLabels {
  kinds: Record<string, string>;
  fieldsOfAction: Record<string, string>;
}

export interface StoredRegistry {
  actors: RegistryActor[];
  kinds: string[];
  fieldsOfAction: string[];
  tieKinds: string[];
  frequencies: string[];
  labels: Record<string, CodeLabels>;
  downloadedAt: string;
}

export interface PosterActor {
  id: string;
  name: string;
  kind: string;
  fieldsOfAction: string[];
  /** Added on the poster (becomes a registry actor on sync) rather than taken from the registry. */
  isNew: boolean;
  /** Unit square, y downwards. */
  x: number;
  y: number;
  clusterId: string | null;
  dots: number;
}

export interface PosterCluster {
  id: string;
  name: string;
  dots: number;
}

export interface PosterTie {
  id: string;
  from: string;
  to: string;
  kind: string;
  frequency: string | null;
}

export type WorkshopState = 'open' | 'queued' | 'synced' | 'rejected';

export interface StoredWorkshop {
  id: string;
  name: string;
  heldOn: string;
  topic: string | null;
  fieldOfAction: string | null;
  keyActorId: string;
  actors: PosterActor[];
  clusters: PosterCluster[];
  ties: PosterTie[];
  state: WorkshopState;
  rejection: string | null;
  createdAt: string;
}


interface WorkshopSchema extends DBSchema {
  registry: { key: 'current'; value: StoredRegistry };
  workshops: { key: string; value: StoredWorkshop; indexes: { byState: WorkshopState } };
  settings: { key: 'session'; value: StoredStaffSession };
}

export type WorkshopDatabase = IDBPDatabase<WorkshopSchema>;
export const WORKSHOP_DATABASE = 'vielstimmig-workshop';

/** Schema versions only ever add (open posters survive app updates), as in the other offline apps. */
export function openWorkshopDatabase(onReplaced?: () => void): Promise<WorkshopDatabase> {
  return openDB<WorkshopSchema>(WORKSHOP_DATABASE, 1, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('registry');
        db.createObjectStore('workshops', { keyPath: 'id' }).createIndex('byState', 'state');
        db.createObjectStore('settings');
      }
    },
    blocking(_current, _blocked, event) {
      (event.target as IDBDatabase).close();
      onReplaced?.();
    },
  });
}

/** What the server's sync takes (api/src/network/workshop-schema.ts). */
export function syncPayload(workshop: StoredWorkshop) {
  return {
    id: workshop.id,
    name: workshop.name,
    heldOn: workshop.heldOn,
    topic: workshop.topic,
    fieldOfAction: workshop.fieldOfAction,
    keyActorId: workshop.keyActorId,
    clusters: workshop.clusters.map((cluster) => ({ id: cluster.id, name: cluster.name, dots: cluster.dots })),
    actors: workshop.actors.map((actor) => ({
      id: actor.id,
      ...(actor.isNew ? { new: { name: actor.name, kind: actor.kind, fieldsOfAction: actor.fieldsOfAction } } : {}),
      x: Math.min(1, Math.max(0, actor.x)),
      y: Math.min(1, Math.max(0, actor.y)),
      clusterId: actor.clusterId,
      dots: actor.dots,
    })),
    ties: workshop.ties.map((tie) => ({ from: tie.from, to: tie.to, kind: tie.kind, frequency: tie.frequency })),
  };
}

export async function waitingCount(db: WorkshopDatabase): Promise<number> {
  return db.countFromIndex('workshops', 'byState', 'queued');
}

export async function allWorkshops(db: WorkshopDatabase): Promise<StoredWorkshop[]> {
  return (await db.getAll('workshops')).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
