import { describe, expect, it } from 'vitest';
import { turnView } from './turn-view.ts';

describe('turnView', () => {
  it('describes searches, questions with revealed preferences, and answers', () => {
    expect(turnView({ search: { step: 1, query: 'q', outcome: 'results', aspect: 'flight' } }, 0.2)).toEqual({
      kind: 'search',
      summary: 'correct search: options shown (flight)',
      elicited: [],
      reward: 0.2,
    });
    const ask = turnView(
      { utterance: { type: '2', revealed: 'P2' }, revealed: [{ id: 'P2', aspect: 'flight', preference: 'Real meals.' }] },
      0.2,
    );
    expect(ask).toMatchObject({ kind: 'ask', elicited: [{ id: 'P2', how: 'asked' }] });
    const volunteered = turnView({ utterance: { type: '1', volunteered: 'P3' }, revealed: [{ id: 'P3', aspect: 'hotel', preference: 'Quiet.' }] }, 0);
    expect(volunteered?.elicited[0]?.how).toBe('volunteered');
    expect(turnView({ answer: { ids: ['F2'], outcome: 'best' } }, 1)?.summary).toBe('answer F2: the best option');
    expect(turnView({ ended: 'invalid-arguments' }, undefined)?.kind).toBe('ended');
  });

  it('shows nothing for other environments or malformed info', () => {
    expect(turnView(undefined, undefined)).toBeUndefined();
    expect(turnView({ search: 'not an object' }, 0)).toBeUndefined();
  });
});
