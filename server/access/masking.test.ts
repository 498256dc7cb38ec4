import { describe, expect, it } from 'vitest';
import { makeCase } from '../../test/fixtures/server';
import { maskCase, scrubText, shouldMask } from './masking';

describe('masking personal data', () => {
  it('masks for wall and presenter, not for supervisor and admin', () => {
    expect(shouldMask('wall')).toBe(true);
    expect(shouldMask('presenter')).toBe(true);
    expect(shouldMask('supervisor')).toBe(false);
    expect(shouldMask('admin')).toBe(false);
  });

  it('removes the reporter and every phone number from the case', () => {
    const c = makeCase('filed', {
      timeline: [
        {
          at: 1,
          action: 'comment',
          actor: { id: 'u', name: 'u', role: 'supervisor' },
          from: 'filed',
          to: 'filed',
          level: 'grid',
          note: '回电 139 1234 5678 无人接听',
        },
      ],
      extension: { requestedAt: 1, minutes: 60, reason: '业主电话0951-6012345' },
    });
    const masked = maskCase(c);
    expect(masked.reporter).toBeNull();
    const text = JSON.stringify(masked);
    expect(text).not.toContain('13812345678');
    expect(text).not.toContain('张伟');
    expect(text.replace(/[\s-]/g, '')).not.toContain('13912345678');
    expect(text).not.toContain('6012345');
    expect(masked.description).toBe('人行道上有大量垃圾，联系电话***');
    expect(masked.extension?.reason).toBe('业主电话***');
    expect(c.reporter).not.toBeNull();
  });

  it('scrubs mobile, +86, landline and ID numbers but keeps other numbers', () => {
    expect(scrubText('手机+86 13912345678')).toBe('手机***');
    expect(scrubText('身份证64010619800101123X')).toBe('身份证***');
    expect(scrubText('长城中路12号3单元，面积120平米，编号2026112300012')).toBe(
      '长城中路12号3单元，面积120平米，编号2026112300012',
    );
  });
});
