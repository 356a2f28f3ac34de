/** `UserAddress(address1=..., ...)` from a tool's arguments. */
import type { PyDict, PyValue } from '../../tau-bench/py.ts';
import { construct } from '../model.ts';
import { arg, type ToolArgs } from '../toolkit.ts';
import { UserAddress } from './model.ts';

export const ADDRESS_PARAMS = ['address1', 'address2', 'city', 'state', 'country', 'zip'] as const;

export function addressFromArgs(args: ToolArgs): PyDict {
  return construct('UserAddress', UserAddress, new Map<string, PyValue>(ADDRESS_PARAMS.map((k) => [k, arg(args, k)])));
}
