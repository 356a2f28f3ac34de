import { describe, expect, it } from 'vitest';
import { verdictFromText } from './verdict.ts';

describe('verdictFromText', () => {
  it('turns critic text into a verdict with its label, latency and usage', () => {
    expect(verdictFromText('{"decision":"revise","feedback":"Ask for the order id.","category":"policy"}', 'tf:tiny', 12, { promptTokens: 3, completionTokens: 4 })).toEqual({
      critic: 'tf:tiny',
      latencyMs: 12,
      raw: '{"decision":"revise","feedback":"Ask for the order id.","category":"policy"}',
      usage: { promptTokens: 3, completionTokens: 4 },
      decision: 'revise',
      feedback: 'Ask for the order id.',
      category: 'policy',
    });
  });

  it('makes malformed output an unparsed verdict, never an exception', () => {
    expect(verdictFromText('I approve', 'x', 1)).toMatchObject({ decision: 'unparsed', error: 'No JSON object in critic output', raw: 'I approve' });
    expect(verdictFromText('{"decision":"revise"}', 'x', 1)).toMatchObject({ decision: 'unparsed', error: 'A revise verdict must carry feedback' });
  });
});
