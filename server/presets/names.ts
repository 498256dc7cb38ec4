/** Fictional but plausible Chinese names for people, places, roads and shops in the demo presets. */
import type { Rng } from './random';

/** Common surnames, most frequent first; drawn with falling odds so 王/李/张 dominate as they do. */
// biome-ignore format: a table reads better in rows
const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗',
  '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁', '潘', '于', '蒋', '蔡',
  '余', '杜', '叶', '程', '苏', '魏', '吕', '丁', '任', '沈', '姚', '卢', '姜', '崔', '钟', '谭', '陆', '汪', '范', '金',
  '石', '廖', '贾', '夏', '韦', '付', '方', '白', '邹', '孟', '熊', '秦', '邱', '江', '尹', '薛', '闫', '段', '雷', '侯',
  '龙', '史', '陶', '黎', '贺', '顾', '毛', '郝', '龚', '邵', '万', '钱', '严', '覃', '武', '戴', '莫', '孔', '向', '汤',
] as const;

const SURNAME_WEIGHTS = SURNAMES.map((_, i) => 1 / (i + 4));

/** Characters used in given names; any one or two of them read as a name. */
// biome-ignore format: a table reads better in rows
const GIVEN = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '霞', '平', '刚',
  '辉', '玲', '桂', '兰', '华', '红', '建', '国', '文', '亮', '鹏', '燕', '宇', '浩', '凯', '晨', '欣', '佳', '婷', '雪',
  '琳', '慧', '梅', '斌', '海', '波', '宁', '鑫', '丹', '颖', '峰', '博', '志', '新', '东', '春', '秀', '英', '成', '荣',
  '俊', '瑞', '思', '雨', '萍', '晓', '德', '永', '嘉', '子', '林', '飞', '健', '云', '帆', '琦', '倩', '悦', '彤', '昊',
] as const;

export function personName(rng: Rng): string {
  const surname = SURNAMES[rng.weightedIndex(SURNAME_WEIGHTS)] as string;
  const first = rng.pick(GIVEN);
  if (rng.chance(0.3)) return surname + first;
  let second = rng.pick(GIVEN);
  while (second === first && rng.chance(0.8)) second = rng.pick(GIVEN);
  return surname + first + second;
}

/** First and second syllables of place names: any pair reads like a Chinese community or village. */
// biome-ignore format: a table reads better in rows
const PLACE_A = [
  '新', '永', '东', '西', '南', '北', '金', '银', '安', '和', '兴', '福', '康', '长', '太', '宝', '丰', '华', '同', '鸿',
  '隆', '泰', '瑞', '富', '祥', '德', '仁', '庆', '阳', '嘉', '青', '清', '明', '广', '乐', '龙', '凤', '文', '秀', '正',
] as const;
// biome-ignore format: a table reads better in rows
const PLACE_B = [
  '丰', '安', '兴', '和', '平', '华', '盛', '康', '宁', '源', '湖', '园', '岭', '塘', '湾', '山', '桥', '田', '洲', '景',
  '苑', '河', '沙', '溪', '泉', '林', '坑', '围', '涌', '坊', '庄', '乐', '城', '光', '润', '泰', '福', '茂', '荣', '海',
] as const;

/** Draws place-name stems (two syllables) that are unique within one generator. */
export class PlaceNames {
  private readonly used = new Set<string>();

  constructor(private readonly rng: Rng) {}

  /** A fresh two-syllable stem, such as 永丰 or 金湖; `reserve` marks names taken by fixed lists. */
  stem(): string {
    for (let tries = 0; tries < 10_000; tries++) {
      const a = this.rng.pick(PLACE_A);
      const b = this.rng.pick(PLACE_B);
      const s = a + b;
      if (a === b || this.used.has(s)) continue;
      this.used.add(s);
      return s;
    }
    throw new Error('ran out of place names');
  }

  reserve(name: string): void {
    this.used.add(name);
  }
}

const ROAD_SUFFIX = ['路', '路', '路', '街', '街', '大道', '巷'] as const;

/** A road name from a place stem: 永丰路, 金湖大道, 和平街. */
export function roadName(stem: string, rng: Rng): string {
  return stem + rng.pick(ROAD_SUFFIX);
}

// biome-ignore format: a table reads better in rows
const DISHES = [
  '手抓羊肉', '羊杂碎', '牛肉拉面', '烩小吃', '炒糊饽', '黄焖羊肉', '烧烤', '火锅', '饺子馆', '砂锅', '烧腊', '肠粉',
  '早茶', '烧鹅', '酸菜鱼', '麻辣烫', '家常菜', '蒸菜馆', '米粉', '煲仔饭',
] as const;

/** A small restaurant, as kitchen cameras and oil-fume monitors are installed in: 王记手抓羊肉. */
export function restaurantName(rng: Rng): string {
  const surname = SURNAMES[rng.weightedIndex(SURNAME_WEIGHTS)] as string;
  const style = rng.pick(['记', '家', '氏', '师傅'] as const);
  return surname + style + rng.pick(DISHES);
}
