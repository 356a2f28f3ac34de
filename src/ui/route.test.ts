import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute, tabAfterKey } from './route.ts';

const TABS = ['chat', 'critic', 'history', 'data'] as const;

describe('hash routes', () => {
  it('reads a tab and an episode id, round-trips ids with odd characters, and falls back on unknown tabs', () => {
    expect(parseRoute('#/history', TABS, 'chat')).toEqual({ tab: 'history' });
    expect(parseRoute('#/history/2f1c-ab', TABS, 'chat')).toEqual({ tab: 'history', episodeId: '2f1c-ab' });
    const odd = { tab: 'history' as const, episodeId: 'run 1/trial#2' };
    expect(parseRoute(formatRoute(odd), TABS, 'chat')).toEqual(odd);
    expect(parseRoute('#/nowhere', TABS, 'chat')).toEqual({ tab: 'chat' });
    expect(parseRoute('', TABS, 'chat')).toEqual({ tab: 'chat' });
    expect(formatRoute({ tab: 'data' })).toBe('#/data');
  });

  it('moves between tabs with the arrow keys, wrapping, and Home/End', () => {
    expect(tabAfterKey(TABS, 'chat', 'ArrowRight')).toBe('critic');
    expect(tabAfterKey(TABS, 'chat', 'ArrowLeft')).toBe('data');
    expect(tabAfterKey(TABS, 'data', 'ArrowRight')).toBe('chat');
    expect(tabAfterKey(TABS, 'history', 'Home')).toBe('chat');
    expect(tabAfterKey(TABS, 'critic', 'End')).toBe('data');
    expect(tabAfterKey(TABS, 'critic', 'Enter')).toBeUndefined();
  });
});
