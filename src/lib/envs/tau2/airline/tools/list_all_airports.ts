import type { PyValue } from '../../../tau-bench/py.ts';
import { tool } from '../../toolkit.ts';

const AIRPORTS: Array<[string, string]> = [
  ['SFO', 'San Francisco'], ['JFK', 'New York'], ['LAX', 'Los Angeles'], ['ORD', 'Chicago'], ['DFW', 'Dallas'],
  ['DEN', 'Denver'], ['SEA', 'Seattle'], ['ATL', 'Atlanta'], ['MIA', 'Miami'], ['BOS', 'Boston'], ['PHX', 'Phoenix'],
  ['IAH', 'Houston'], ['LAS', 'Las Vegas'], ['MCO', 'Orlando'], ['EWR', 'Newark'], ['CLT', 'Charlotte'],
  ['MSP', 'Minneapolis'], ['DTW', 'Detroit'], ['PHL', 'Philadelphia'], ['LGA', 'LaGuardia'],
];

export const listAllAirports = tool({
  name: 'list_all_airports',
  params: [],
  required: [],
  type: 'read',
  call: () => AIRPORTS.map(([iata, city]) => new Map<string, PyValue>([['iata', iata], ['city', city]])),
});
