import { describe, expect, it } from 'vitest';
import { makeCase } from '../../test/fixtures/server';
import {
  findPersonalNumbers,
  MASK,
  maskCase,
  maskedSearchText,
  namePattern,
  normaliseDigits,
  scrubMediaUrl,
  scrubText,
  shouldMask,
} from './masking';

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

  it('normalises digits of any width before matching', () => {
    expect(normaliseDigits('１３８１２３４５６７８')).toBe('13812345678');
    expect(normaliseDigits('64010619800101123ｘ')).toBe('64010619800101123X');
  });

  // Issue 24: every way a resident writes the same number is masked where it stands.
  it.each([
    ['4-4-3 groups', '电话1381 2345 678请回电', '电话***请回电'],
    ['4-4-3 with dashes', '电话1381-2345-678。', '电话***。'],
    ['dots', '手机138.1234.5678', '手机***'],
    ['full-width digits', '电话１３８１２３４５６７８', '电话***'],
    ['full-width digits and spaces', '电话１３８　１２３４　５６７８', '电话***'],
    ['full-width dashes', '电话１３８－１２３４－５６７８', '电话***'],
    ['brackets and +86', '（+86）138 1234 5678', '（***'],
    ['+86 joined', '手机+86 13912345678', '手机***'],
    ['0086 prefix', '0086-139-1234-5678', '***'],
    ['ID number with spaces', '身份证 640106 19800101 123X 已核', '身份证 *** 已核'],
    ['ID number, full-width X', '身份证６４０１０６１９８００１０１１２３Ｘ', '身份证***'],
    ['landline in brackets', '座机(0951)6012345', '座机(***'],
    ['landline with dashes', '座机0951-601-2345', '座机***'],
    ['two numbers in one note', '138 1234 5678 或 139-1234-5678', '*** 或 ***'],
  ])('masks a phone or ID written with %s', (_what, text, masked) => {
    expect(scrubText(text)).toBe(masked);
  });

  it.each([
    ['an address', '长城中路12号3单元，面积120平米'],
    ['a case code', '编号2026112300012'],
    ['a date and time', '2026-11-23 13:45 到场'],
    ['coordinates', '106.2731, 38.4682'],
    ['a short number list', '1 2 3 4 5 6 7 8 9 10 11'],
  ])('keeps %s', (_what, text) => {
    expect(findPersonalNumbers(text)).toEqual([]);
    expect(scrubText(text)).toBe(text);
  });

  it('finds the number inside a run of other numbers joined by separators', () => {
    expect(scrubText('编号12 13812345678')).toBe('编号12 ***');
  });

  it("masks the reporter's name however it is spaced or written", () => {
    const name = namePattern('李秀英');
    if (!name) throw new Error('no pattern');
    for (const text of ['已回电李秀英', '已回电李 秀英', '已回电李\u3000秀 英', '已回电李·秀英']) {
      expect(text.replace(name, MASK)).toBe('已回电***');
    }
    const latin = namePattern('Li Wei');
    expect('called LIWEI and Ｌｉ Ｗｅｉ'.replace(latin as RegExp, MASK)).toBe('called *** and ***');
    expect(namePattern('李')).toBeNull();
  });

  it('drops media URLs that carry a phone, an ID number or the name, and keeps the others', () => {
    const name = namePattern('李秀英');
    expect(scrubMediaUrl('https://media.example/r/13812345678/1.jpg', name)).toBeNull();
    expect(scrubMediaUrl('https://media.example/p.jpg?tel=138-1234-5678', name)).toBeNull();
    expect(
      scrubMediaUrl(
        'https://media.example/p.jpg?tel=%EF%BC%91%EF%BC%93%EF%BC%98%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96%EF%BC%97%EF%BC%98',
        name,
      ),
    ).toBeNull();
    expect(scrubMediaUrl(`https://media.example/${encodeURIComponent('李秀英')}.jpg`, name)).toBeNull();
    expect(scrubMediaUrl('https://media.example/2026/11/23/photo-1.jpg', name)).toBe(
      'https://media.example/2026/11/23/photo-1.jpg',
    );
  });

  it('masks every variant in a whole case, and its search text holds no personal data', () => {
    const c = makeCase('filed', {
      reporter: { name: '李秀英', phone: '13812345678' },
      description: '李 秀英反映：电话１３８１２３４５６７８，备用138.1234.5678，身份证640106 19800101 123X',
      location: { lng: 106.2, lat: 38.4, address: '长城中路12号 李秀英家' },
      media: ['https://media.example/r/1381-2345-678.jpg', 'https://media.example/ok.jpg'],
      timeline: [
        {
          at: 1,
          action: 'comment',
          actor: { id: 'u', name: 'u', role: 'supervisor' },
          from: 'filed',
          to: 'filed',
          level: 'grid',
          note: '已回电李\u3000秀英 1381 2345 678',
        },
      ],
    });
    const masked = maskCase(c);
    const wire = JSON.stringify(masked);
    for (const personal of ['李', '秀英', '1381', '１３８', '640106', '123X']) expect(wire).not.toContain(personal);
    expect(masked.media).toEqual(['https://media.example/ok.jpg']);
    expect(masked.description).toBe('***反映：电话***，备用***，身份证***');
    const search = maskedSearchText(c);
    for (const personal of ['李', '秀英', '1381', '640106']) expect(search).not.toContain(personal);
  });
});
