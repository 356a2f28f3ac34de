/**
 * Builds a long-lived state object outside any component, once the current
 * render is over. A class's `$derived` fields belong to the effect active
 * when the object is constructed; built while a tab's component renders, they
 * freeze once that tab unmounts (Svelte then returns their last value:
 * "derived_inert"). That is why the Data tab stopped following its settings
 * after a second visit (issue 20, problem 9). In a microtask no effect is active.
 */
export function detached<T>(make: () => T): Promise<T> {
  return Promise.resolve().then(make);
}
