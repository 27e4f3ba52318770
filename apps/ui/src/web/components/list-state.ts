import type { Resource } from 'solid-js';
import { errorText } from '../api.ts';

/**
 * A resource's three honest states for a list: loading (nothing to show yet), failed (with the reason),
 * or its items (which may be none). Reading a failed Solid resource throws, so its value is only read when
 * it is ready.
 */
export function listState<T>(resource: Resource<T[]>, retry: () => void) {
  return {
    loading: () => resource.state === 'pending' || resource.state === 'unresolved',
    error: () => (resource.state === 'errored' ? errorText(resource.error) : undefined),
    items: () => (resource.state === 'ready' || resource.state === 'refreshing' ? resource() : undefined),
    retry,
  };
}

export type ListState<T> = ReturnType<typeof listState<T>>;
