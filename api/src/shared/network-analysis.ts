/**
 * The shapes of the network analysis (`GET /api/analysis/network`, its `compare=` answer), declared
 * here because the server computes them (`network/analysis.ts`, `network/network-service.ts`) and
 * the dashboard's map and table read them. Types only.
 */
export type TieKind = 'information' | 'joint_projects' | 'referrals' | 'shared_premises' | 'funding';
export type TieSource = 'inventory' | 'workshop' | 'staff';

/** What the analysis needs of an actor. */
export interface AnalysedActor {
  id: string;
  name: string;
  kind: string;
  fieldsOfAction: string[];
  districts: string[];
  isPublic: boolean;
}

/** What the analysis needs of a tie. */
export interface AnalysedTie {
  fromActorId: string;
  toActorId: string;
  kind: TieKind;
  source: TieSource;
  observedOn: string;
}

export interface NetworkNode extends AnalysedActor {
  /** How many partners (distinct actors tied to this one, whatever the number of ties). */
  degree: number;
  /** degree / (n − 1): igraph's `degree(normalized = TRUE)`. */
  degreeCentrality: number;
  /** Normalised: the share of shortest paths between other pairs that pass through this actor, 2B/((n−1)(n−2)). */
  betweenness: number;
  /** (reachable − 1) / (sum of distances to reachable actors); 0 for an isolate (igraph says NaN). */
  closeness: number;
  /**
   * Principal eigenvector scaled so that the largest value is 1 (igraph's `scale = TRUE`); null for
   * every actor when the power iteration does not settle (long chains without any hub).
   */
  eigenvector: number | null;
  /** PageRank with damping 0.85; the values sum to 1. */
  pagerank: number;
  /** Louvain community number, 0 … count − 1, largest community first. */
  community: number;
  isolate: boolean;
  /** Pairs of this actor's partners that have no tie with each other and share no field of action. */
  brokerage: number;
}

export interface NetworkEdge {
  source: string;
  target: string;
  /** Every kind of tie between the two (information, joint projects, …), sorted. */
  kinds: TieKind[];
  /** How many tie records stand behind the edge (both directions, every source). */
  ties: number;
  sources: TieSource[];
  firstObservedOn: string;
  lastObservedOn: string;
}

export interface FieldDensity {
  fields: [string, string];
  actors: [number, number];
  ties: number;
  possible: number;
  /** ties / possible; null when no pair is possible. */
  density: number | null;
}

export interface NetworkMetrics {
  actors: number;
  edges: number;
  /** Edges / possible pairs, 2m / (n(n − 1)); null below two actors. */
  density: number | null;
  communities: { count: number; modularity: number | null };
  isolates: string[];
  brokers: { id: string; name: string; brokerage: number; betweenness: number; bridgedFields: string[] }[];
  /** Within a field (both the same) and between two fields; actors in several fields count in each. */
  fieldDensity: FieldDensity[];
}

export interface NetworkAnalysis {
  nodes: NetworkNode[];
  edges: NetworkEdge[];
  metrics: NetworkMetrics;
}

export interface ComparedTie {
  source: string;
  target: string;
  sourceName: string;
  targetName: string;
}

export interface NetworkComparison {
  /** The other day: `YYYY-MM-DD`. */
  date: string;
  /** In the network shown and not in the one of `date` (whether an actor joined or a tie was reported). */
  newEdges: ComparedTie[];
  /** In the network of `date` and no longer in the one shown (an actor retired or merged, a tie deleted with its response). */
  lostEdges: ComparedTie[];
  newActors: { id: string; name: string }[];
  lostActors: { id: string; name: string }[];
}
