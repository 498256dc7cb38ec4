import { useEffect } from 'react';
import { ACTION_BY_KEY, actionAllowed } from '../actions';
import { useConsole } from '../context';
import { isQueueId, QUEUES } from '../queues';
import { ROW_HEIGHT } from './QueuePane';

const isField = (el: EventTarget | null): boolean =>
  el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement;

/** The console's keys (see Help): one listener, so every action works from anywhere on the page. */
export function useConsoleKeys(): void {
  const runtime = useConsole();
  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      const ui = runtime.ui.getState();
      if (ui.auth !== 'ready' || ui.dialog || ev.defaultPrevented || ev.isComposing) return;
      if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (ui.help) {
        if (ev.key === 'Escape' || ev.key === '?') {
          ev.preventDefault();
          runtime.dialogs.setHelp(false);
        }
        return;
      }
      if (isField(ev.target)) {
        // In the search box: Esc leaves it (clearing it first), arrows go back to the list.
        const search = ev.target instanceof HTMLInputElement && ev.target.id === 'gc-search';
        if (ev.key === 'Escape') {
          if (search && ui.filters.text) runtime.lists.setFilters({ text: '' });
          else (ev.target as HTMLElement).blur();
          ev.preventDefault();
        } else if (search && (ev.key === 'ArrowDown' || ev.key === 'Enter')) {
          (ev.target as HTMLElement).blur();
          runtime.lists.move('first');
          ev.preventDefault();
        }
        return;
      }
      const key = ev.key;
      const page = Math.max(1, Math.floor((innerHeight - 300) / ROW_HEIGHT));
      let handled = true;
      if (key === '?') runtime.dialogs.setHelp(true);
      else if (key === '/') document.getElementById('gc-search')?.focus();
      else if (/^[1-9]$/.test(key)) {
        const q = QUEUES[Number(key) - 1];
        if (isQueueId(q)) runtime.lists.setQueue(q);
        else handled = false;
      } else if (key === 'ArrowDown' || key === 'j') runtime.lists.move(1);
      else if (key === 'ArrowUp' || key === 'k') runtime.lists.move(-1);
      else if (key === 'PageDown') runtime.lists.move(page);
      else if (key === 'PageUp') runtime.lists.move(-page);
      else if (key === 'Home') runtime.lists.move('first');
      else if (key === 'End') runtime.lists.move('last');
      else if (key === 'Escape') runtime.lists.select(null);
      else if (key === 'r' || key === 'R') {
        const newest = ui.outbox.failed.at(-1);
        const el = newest
          ? document.querySelector<HTMLButtonElement>(
              `[data-command-id="${newest.command.commandId}"] [data-testid=problem-redo]`,
            )
          : null;
        if (el && !el.disabled) el.click();
        else handled = false;
      } else if (key === 'Delete') {
        const newest = ui.outbox.failed.at(-1);
        if (newest) void runtime.outbox.dismiss(newest.seq);
        else handled = false;
      } else {
        const action = ACTION_BY_KEY.get(key.toLowerCase());
        const c = ui.selectedId ? runtime.dialogs.caseLite(ui.selectedId) : undefined;
        if (!action || !c) handled = false;
        else if (
          actionAllowed(action, {
            status: runtime.dialogs.predictedStatus(c),
            level: c.level,
            extensionRequested: c.extensionRequested === true,
            hasAssignee: Boolean(c.assigneeId),
          })
        ) {
          runtime.dialogs.open(action, c.id);
        } else runtime.dialogs.toast('notAllowed', action, c.code);
      }
      if (handled) ev.preventDefault();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [runtime]);
}
