import { tool } from '../../toolkit.ts';
import { fixed2 } from '../db.ts';
import { speedTest } from '../device.ts';
import { PyFloat } from '../../../tau-bench/py.ts';

const ADVICE: Record<string, string> = {
  'Very Poor': 'Connection is very slow. Basic web browsing might be difficult.',
  Poor: 'Connection is slow. Web browsing may be sluggish, streaming difficult.',
  Fair: 'Connection is okay for web browsing and some standard definition streaming.',
  Good: 'Connection is good for most activities, including HD streaming.',
  Excellent: 'Connection is very fast.',
};

export const runSpeedTest = tool({
  name: 'run_speed_test',
  params: [],
  required: [],
  type: 'read',
  call(db) {
    const [speed, desc] = speedTest(db);
    if (speed === null) return `Speed test failed: ${desc || 'Could not determine speed'}.`;
    return `Speed Test Result: ${fixed2(new PyFloat(speed))} Mbps (${desc}). ${ADVICE[desc] ?? ''}`;
  },
});
