import { describe, expect, it } from 'vitest';
import { EpisodeEnvironmentSchema, environmentName, tauDomainOf, TAU_DOMAINS, TASK_SPLITS, USERBENCH_ENVS } from './environment.ts';

describe('episode environment', () => {
  it('names each environment as lists, filters and UserBench result files show it', () => {
    expect(environmentName({ family: 'policy-chat' })).toBe('policy-chat');
    expect(environmentName({ family: 'tau-bench', domain: 'airline' })).toBe('tau-bench/airline');
    expect(environmentName({ family: 'userbench', domain: 'travel33' })).toBe('userbench/travel33');
    expect(environmentName({ family: 'userbench', domain: 'travel22', oneChoice: true })).toBe('userbench/travel22-onechoice');
    expect(environmentName({ family: 'userbench', domain: 'travel22', oneChoice: false })).toBe('userbench/travel22');
  });

  it('gives the tau-bench domain only for tau-bench episodes', () => {
    expect(tauDomainOf({ family: 'tau-bench', domain: 'retail' })).toBe('retail');
    expect(tauDomainOf({ family: 'userbench', domain: 'travel22' })).toBeUndefined();
    expect(tauDomainOf({ family: 'policy-chat' })).toBeUndefined();
  });

  it('accepts only the domains of each family', () => {
    expect(EpisodeEnvironmentSchema.safeParse({ family: 'tau-bench', domain: 'travel22' }).success).toBe(false);
    expect(EpisodeEnvironmentSchema.safeParse({ family: 'userbench', domain: 'retail' }).success).toBe(false);
    expect(EpisodeEnvironmentSchema.safeParse('tau-bench/retail').success).toBe(false);
    expect(EpisodeEnvironmentSchema.parse({ family: 'userbench', domain: 'travel44', oneChoice: true })).toEqual({ family: 'userbench', domain: 'travel44', oneChoice: true });
  });

  it('lists the domains, splits and UserBench environments the pack layouts use', () => {
    expect(TAU_DOMAINS).toEqual(['retail', 'airline']);
    expect(TASK_SPLITS).toEqual(['test', 'train', 'dev']);
    expect(USERBENCH_ENVS).toEqual(['travel22', 'travel33', 'travel44']);
  });
});
