import { For, type JSX, Match, Show, Switch } from 'solid-js';

/**
 * The console's list table: a scrolling wrapper, a caption (for screen readers unless `showCaption`),
 * a header of column names, and one row per item. Without items the body says which of three things is
 * true: still loading, the load failed (with the reason and a retry), or there are none.
 */
export function DataTable<T>(props: {
  caption: string;
  showCaption?: boolean;
  columns: readonly string[];
  /** Adds a last column for per-row buttons, titled for screen readers only. */
  actions?: boolean;
  items: readonly T[] | undefined;
  /** One `<tr>` per item. */
  row: (item: T) => JSX.Element;
  /** What the table says when the load succeeded with no items. */
  empty: JSX.Element;
  loading?: boolean;
  /** The load failed: shown in place of the rows, with a retry when `onRetry` is given. */
  error?: string;
  onRetry?: () => void;
  /** Shown under the table, inside the scrolling wrapper. */
  below?: JSX.Element;
}) {
  const width = () => props.columns.length + (props.actions ? 1 : 0);
  const hasItems = () => (props.items?.length ?? 0) > 0;
  return (
    <div class="table-wrap">
      <table aria-busy={props.loading}>
        <caption class={props.showCaption ? undefined : 'sr-only'}>{props.caption}</caption>
        <thead>
          <tr>
            <For each={props.columns}>{(name) => <th scope="col">{name}</th>}</For>
            <Show when={props.actions}>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </Show>
          </tr>
        </thead>
        <tbody>
          <Switch>
            <Match when={props.error}>
              <tr>
                <td colspan={width()} class="state error" role="alert">
                  Could not load {props.caption.toLowerCase()}: {props.error}
                  <Show when={props.onRetry}>
                    {' '}
                    <button type="button" onClick={() => props.onRetry?.()}>
                      Try again
                    </button>
                  </Show>
                </td>
              </tr>
            </Match>
            <Match when={hasItems()}>
              <For each={props.items}>{(item) => props.row(item)}</For>
            </Match>
            <Match when={props.loading || props.items === undefined}>
              <tr>
                <td colspan={width()} class="state" role="status">
                  Loading {props.caption.toLowerCase()}…
                </td>
              </tr>
            </Match>
            <Match when={true}>
              <tr>
                <td colspan={width()} class="state">
                  {props.empty}
                </td>
              </tr>
            </Match>
          </Switch>
        </tbody>
      </table>
      {props.below}
    </div>
  );
}
