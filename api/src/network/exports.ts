import { UndirectedGraph } from 'graphology';
import { write as writeGexfDocument } from 'graphology-gexf';
import type { NetworkAnalysis } from './analysis.ts';

/** The attributes each actor carries into Gephi: the registry's fields and every metric. */
function nodeAttributes(node: NetworkAnalysis['nodes'][number]) {
  return {
    kind: node.kind,
    fields_of_action: node.fieldsOfAction.join(';'),
    districts: node.districts.join(';'),
    community: node.community,
    degree: node.degree,
    degree_centrality: node.degreeCentrality,
    betweenness: node.betweenness,
    closeness: node.closeness,
    // Left out when it did not settle (see analysis.ts): no attribute rather than a made-up 0.
    ...(node.eigenvector === null ? {} : { eigenvector: node.eigenvector }),
    pagerank: node.pagerank,
    brokerage: node.brokerage,
  };
}

function edgeAttributes(edge: NetworkAnalysis['edges'][number]) {
  return {
    kinds: edge.kinds.join(';'),
    ties: edge.ties,
    sources: edge.sources.join(';'),
    first_observed_on: edge.firstObservedOn,
    last_observed_on: edge.lastObservedOn,
  };
}

/** GEXF 1.3 for Gephi, written by graphology-gexf: nodes keyed by actor id, labelled by name. */
export function networkGexf(analysis: NetworkAnalysis): string {
  const graph = new UndirectedGraph();
  for (const node of analysis.nodes) graph.addNode(node.id, { label: node.name, ...nodeAttributes(node) });
  for (const edge of analysis.edges) graph.addEdge(edge.source, edge.target, edgeAttributes(edge));
  return writeGexfDocument(graph, {
    version: '1.3',
    formatNode: (_key, attributes) => {
      const { label, ...rest } = attributes;
      return { label: String(label), attributes: rest };
    },
    formatEdge: (_key, attributes) => ({ attributes }),
  });
}

// Characters XML 1.0 cannot carry at all; names are checked on input, this is the last guard.
const NOT_IN_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const escapeXml = (text: string) =>
  text.replace(NOT_IN_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

type KeyType = 'string' | 'int' | 'double';

/**
 * GraphML (graphdrawing.org's schema) for Gephi, yEd and igraph. graphology-graphml only parses,
 * so it is written here; the test reads it back with that parser and with igraph.
 */
export function networkGraphml(analysis: NetworkAnalysis): string {
  const nodeKeys: [string, KeyType][] = [
    ['label', 'string'],
    ['kind', 'string'],
    ['fields_of_action', 'string'],
    ['districts', 'string'],
    ['community', 'int'],
    ['degree', 'int'],
    ['degree_centrality', 'double'],
    ['betweenness', 'double'],
    ['closeness', 'double'],
    ['eigenvector', 'double'],
    ['pagerank', 'double'],
    ['brokerage', 'int'],
  ];
  const edgeKeys: [string, KeyType][] = [
    ['kinds', 'string'],
    ['ties', 'int'],
    ['sources', 'string'],
    ['first_observed_on', 'string'],
    ['last_observed_on', 'string'],
  ];
  const data = (values: Record<string, string | number | undefined>, keys: [string, KeyType][]) =>
    keys
      .filter(([key]) => values[key] !== undefined)
      .map(([key]) => `<data key="${key}">${escapeXml(String(values[key]))}</data>`)
      .join('');
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ...nodeKeys.map(([key, type]) => `  <key id="${key}" for="node" attr.name="${key}" attr.type="${type}"/>`),
    ...edgeKeys.map(([key, type]) => `  <key id="${key}" for="edge" attr.name="${key}" attr.type="${type}"/>`),
    '  <graph id="actors" edgedefault="undirected">',
    ...analysis.nodes.map((node) => `    <node id="${escapeXml(node.id)}">${data({ label: node.name, ...nodeAttributes(node) }, nodeKeys)}</node>`),
    ...analysis.edges.map(
      (edge, index) => `    <edge id="e${index}" source="${escapeXml(edge.source)}" target="${escapeXml(edge.target)}">${data(edgeAttributes(edge), edgeKeys)}</edge>`,
    ),
    '  </graph>',
    '</graphml>',
    '',
  ];
  return lines.join('\n');
}
