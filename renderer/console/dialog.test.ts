import { describe, expect, it } from 'vitest';
import type { Case } from '../../protocol';
import { rebaseDialog } from './dialogs';
import type { AppliedNotice, OutboxEntry } from './outbox';
import type { DialogState } from './state';

const dialog = (builtOn: string | null, version = 3): DialogState => ({
  id: 1,
  action: 'dispatch',
  caseId: 'case-1',
  version,
  builtOn,
  prefill: null,
  redoOf: null,
});

const applied = (commandId: string, version: number): AppliedNotice => ({
  entry: { command: { commandId, type: 'file', caseId: 'case-1', expectedVersion: version - 1 } } as OutboxEntry,
  case: { id: 'case-1', version } as Case,
});

describe('a dialog opened while the operator’s own command is on its way', () => {
  it('takes the version that command produced once it is applied, so the next command does not conflict', () => {
    expect(rebaseDialog(dialog('c-file-0001'), applied('c-file-0001', 4))).toMatchObject({ version: 4, builtOn: null });
  });

  it('keeps its version when another command is applied: a change by someone else stays a conflict', () => {
    const d = dialog('c-file-0001');
    expect(rebaseDialog(d, applied('c-other-0002', 9))).toBe(d);
    const free = dialog(null);
    expect(rebaseDialog(free, applied('c-file-0001', 4))).toBe(free);
  });

  it('leaves no dialog alone', () => {
    expect(rebaseDialog(null, applied('c-file-0001', 4))).toBeNull();
  });
});
