import { startSupergraph } from '../harness/supergraph.js';
import { describeWalkthrough } from './walkthrough.js';

describeWalkthrough('PostgreSQL, FerretDB and Kafka', () => startSupergraph());
