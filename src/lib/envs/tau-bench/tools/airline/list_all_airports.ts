import { dumps } from '../../py.ts';
import type { TauTool } from '../../tool.ts';

const AIRPORTS: Array<[string, string]> = [
  ['SFO', 'San Francisco'],
  ['JFK', 'New York'],
  ['LAX', 'Los Angeles'],
  ['ORD', 'Chicago'],
  ['DFW', 'Dallas'],
  ['DEN', 'Denver'],
  ['SEA', 'Seattle'],
  ['ATL', 'Atlanta'],
  ['MIA', 'Miami'],
  ['BOS', 'Boston'],
  ['PHX', 'Phoenix'],
  ['IAH', 'Houston'],
  ['LAS', 'Las Vegas'],
  ['MCO', 'Orlando'],
  ['EWR', 'Newark'],
  ['CLT', 'Charlotte'],
  ['MSP', 'Minneapolis'],
  ['DTW', 'Detroit'],
  ['PHL', 'Philadelphia'],
  ['LGA', 'LaGuardia'],
];

export const listAllAirports: TauTool = {
  name: 'list_all_airports',
  pyClass: 'ListAllAirports',
  pyModule: 'tau_bench.envs.airline.tools.list_all_airports',
  required: [],
  optional: [],
  invoke() {
    return dumps(new Map(AIRPORTS));
  },
};
