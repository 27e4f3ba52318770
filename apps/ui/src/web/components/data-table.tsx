import { For, type JSX, Show } from 'solid-js';

/**
 * The console's list table: a scrolling wrapper, a caption (for screen readers unless `showCaption`),
 * a header of column names, one row per item, and a single full-width row when there are none.
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
  /** What the table says when there are no items; without it the body stays empty. */
  empty?: JSX.Element;
  busy?: boolean;
  /** Shown under the table, inside the scrolling wrapper. */
  below?: JSX.Element;
}) {
  const width = () => props.columns.length + (props.actions ? 1 : 0);
  return (
    <div class="table-wrap">
      <table aria-busy={props.busy}>
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
          <For
            each={props.items}
            fallback={
              <Show when={props.empty !== undefined}>
                <tr>
                  <td colspan={width()}>{props.empty}</td>
                </tr>
              </Show>
            }
          >
            {(item) => props.row(item)}
          </For>
        </tbody>
      </table>
      {props.below}
    </div>
  );
}
