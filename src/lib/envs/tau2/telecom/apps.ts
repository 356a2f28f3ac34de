/** The phone's app table (`device.app_statuses`), as TelecomUserTools reads and changes it. */
import { pyRepr, type PyDict, type PyValue } from '../../tau-bench/py.ts';
import { contains, lower, truthy } from '../../tau-bench/pyops.ts';
import { asDict, field, s } from '../pyhelp.ts';
import { device } from './device.ts';

/** `device.app_statuses.get(app_name)` (an unhashable name raises TypeError, as in Python). */
export function appStatus(db: PyDict, appName: PyValue): PyDict | null {
  const apps = asDict(field(device(db), 'app_statuses'), 'app_statuses');
  if (!contains(apps, appName) || typeof appName !== 'string') return null;
  return asDict(field(apps, appName), 'AppStatus');
}

export const permissionsOf = (app: PyDict): PyDict => asDict(field(app, 'permissions'), 'permissions');

/** The granted permissions' names, in field order. */
export const granted = (perms: PyDict): string[] => [...perms].filter(([, v]) => truthy(v)).map(([k]) => k.replaceAll('_', ' ').toLowerCase());

/** `_grant_app_permission` / `remove_app_permission`'s shared part: [ok, message]. */
export function setPermission(db: PyDict, appName: PyValue, permission: PyValue, value: boolean): [boolean, string] {
  const app = appStatus(db, appName);
  const p = lower(permission);
  const verb = value ? 'grant' : 'remove';
  if (app === null) return [false, `App '${s(appName)}' not found. Cannot ${verb} permission.`];
  const perms = permissionsOf(app);
  if (!perms.has(p)) {
    if (!value) return [false, `Permission '${p}' not tracked for app '${s(appName)}'.`];
    return [false, `Permission '${p}' not tracked for app '${s(appName)}', available permissions: ${pyRepr([...perms.keys()])}`];
  }
  perms.set(p, value);
  return [true, value ? `Permission '${p}' granted to app '${s(appName)}'.` : `Permission '${p}' removed from app '${s(appName)}'.`];
}
