/**
 * The graphology libraries are CommonJS whose type declarations say `export default`. Under
 * TypeScript's NodeNext resolution the default import is typed as the module object, while at run
 * time (Node, tsx, esbuild) it is the function itself; this module does the cast once.
 */
import betweennessModule from 'graphology-metrics/centrality/betweenness.js';
import closenessModule from 'graphology-metrics/centrality/closeness.js';
import eigenvectorModule from 'graphology-metrics/centrality/eigenvector.js';
import pagerankModule from 'graphology-metrics/centrality/pagerank.js';
import louvainModule from 'graphology-communities-louvain';
import forceAtlas2Module from 'graphology-layout-forceatlas2';

function interop<T>(module: { default: T }): T {
  return ((module as { default?: T }).default ?? module) as T;
}

export const betweennessCentrality = interop(betweennessModule);
export const closenessCentrality = interop(closenessModule);
export const eigenvectorCentrality = interop(eigenvectorModule);
export const pagerank = interop(pagerankModule);
export const louvain = interop(louvainModule);
export const forceAtlas2 = interop(forceAtlas2Module);
