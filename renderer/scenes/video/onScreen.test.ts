import { afterEach, describe, expect, it } from 'vitest';
import { OnScreenCameras } from './onScreen';

// Node has BroadcastChannel: two registries of one wall talk as two windows would.
const open: OnScreenCameras[] = [];
const registry = (wall: string) => {
  const r = new OnScreenCameras(wall);
  open.push(r);
  return r;
};
afterEach(() => {
  for (const r of open.splice(0)) r.close();
});

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 0));
  return check();
};

describe('OnScreenCameras', () => {
  it("merges a window's scenes and tells the wall's other windows", async () => {
    const a = registry('wall-x');
    const b = registry('wall-x');
    const other = registry('wall-y');
    let changes = 0;
    b.subscribe(() => changes++);
    a.set('scene-1', ['cam-1', 'cam-2']);
    a.set('scene-2', ['cam-2', 'cam-3']);
    expect([...a.all()].sort()).toEqual(['cam-1', 'cam-2', 'cam-3']);
    expect(await until(() => b.all().size === 3)).toBe(true);
    expect(changes).toBeGreaterThan(0);
    expect(other.all().size).toBe(0);
    a.remove('scene-1');
    expect(await until(() => !b.all().has('cam-1'))).toBe(true);
  });

  it('forgets a window that says goodbye, and answers a window that opens later', async () => {
    const a = registry('wall-z');
    a.set('s', ['cam-9']);
    const late = registry('wall-z');
    expect(await until(() => late.all().has('cam-9'))).toBe(true);
    a.close();
    expect(await until(() => late.all().size === 0)).toBe(true);
  });
});
