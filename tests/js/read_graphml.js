// Read a GraphML file with graphology's GraphML reader (the one under sigma.js) and print, as JSON, what it
// read: the node ids and each edge as [source, target, its "key" attribute] (run by tests/test_graph_export.py).
'use strict';
const fs = require('fs');
const Graph = require('graphology');
const {parse} = require('graphology-graphml');

const graph = parse(Graph, fs.readFileSync(process.argv[2], 'utf8'));
const edges = graph.mapEdges((edge, attributes, source, target) => [source, target, attributes.key]);
process.stdout.write(JSON.stringify({type: graph.type, multi: graph.multi, nodes: graph.nodes(), edges}) + '\n');
