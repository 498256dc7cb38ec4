/**
 * The three presets' figures, after the seeds in shared/DOMAIN.md: 金凤 (district), 东莞 (city),
 * and a tiny one for fast tests.
 */
import type { SensorKind } from '../../protocol';
import type { GeographySpec } from './geography';

export type PresetName = 'small' | 'district' | 'city';
export const PRESET_NAMES: readonly PresetName[] = ['small', 'district', 'city'];

export interface PresetSpec {
  title: string;
  geography: GeographySpec;
  /** Grid workers per grid: [count, share] pairs (金凤: exactly one per grid). */
  workersPerGrid: ReadonlyArray<readonly [count: number, share: number]>;
  gridChiefs: boolean;
  /** All people, grid workers and chiefs included; the rest are center and town staff. 0: no staff. */
  totalStaff: number;
  cameras: { street: number; traffic: number; kitchen: number; drone: number };
  sensors: Partial<Record<SensorKind, number>>;
  inspectionPoints: number;
  inspectionKinds: number;
  rentedFlats: number;
  /** Names of the main roads, for intersections (traffic cameras). */
  majorRoads: readonly string[];
}

// biome-ignore format: a table reads better in rows
const JINFENG_STEMS = [
  '阅海', '宝湖', '正丰', '康平', '银湖', '森林', '悦海', '华雁', '枕水', '紫园', '湖畔', '丽景', '亲水', '安泰',
  '良田', '红花', '丰盈', '新昌', '庆丰', '宁安', '黄河', '长城', '金湖', '碧水', '锦绣', '湖滨', '泰康', '福州',
] as const;

// biome-ignore format: a table reads better in rows
const DONGGUAN_STEMS = [
  '乌沙', '霄边', '厦边', '锦厦', '上沙', '沙头', '白沙', '涌头', '咸西', '上角', '增埗', '峡口', '周溪', '鳌台',
  '大井头', '石鼓', '竹溪', '篁村', '莞龙', '黄旗', '牛山', '温塘', '雁田', '官井头', '清湖', '塘尾', '赤岭', '新基',
] as const;

export const PRESET_SPECS: Readonly<Record<PresetName, PresetSpec>> = {
  small: {
    title: '金凤区（演示）',
    geography: {
      rootName: '金凤区（演示）',
      rootCode: '640106',
      rootLevel: 'district',
      center: [106.25, 38.48],
      widthKm: 2.4,
      heightKm: 2.4,
      shape: { kind: 'rect' },
      streets: [
        { name: '满城北街街道', area: 1 },
        { name: '黄河东路街道', area: 1 },
      ],
      communities: 4,
      grids: 16,
      cellsPerGrid: 4,
      gridExponent: 1,
      villageShare: 0,
      communityStems: JINFENG_STEMS,
    },
    workersPerGrid: [[1, 1]],
    gridChiefs: false,
    totalStaff: 0,
    cameras: { street: 6, traffic: 2, kitchen: 2, drone: 1 },
    sensors: { oil_fume: 2, smoke: 2 },
    inspectionPoints: 40,
    inspectionKinds: 12,
    rentedFlats: 8,
    majorRoads: ['北京中路', '黄河东路', '宁安大街'],
  },
  district: {
    title: '金凤区',
    geography: {
      rootName: '金凤区',
      rootCode: '640106',
      rootLevel: 'district',
      center: [106.21, 38.49],
      widthKm: 15,
      heightKm: 12,
      shape: { kind: 'ellipse', wobble: 0.15 },
      // Seats roughly where they are: the city streets east, the farming town south-west.
      streets: [
        { name: '满城北街街道', at: [106.25, 38.525], area: 0.8 },
        { name: '北京中路街道', at: [106.2, 38.525], area: 1.0 },
        { name: '长城中路街道', at: [106.25, 38.49], area: 0.9 },
        { name: '上海西路街道', at: [106.19, 38.49], area: 1.1 },
        { name: '黄河东路街道', at: [106.25, 38.455], area: 1.0 },
        { name: '丰登镇', at: [106.16, 38.455], area: 1.8 },
      ],
      communities: 60,
      grids: 592,
      cellsPerGrid: 6,
      gridExponent: 0.8,
      villageShare: 0.7,
      communityStems: JINFENG_STEMS,
    },
    workersPerGrid: [[1, 1]],
    gridChiefs: true,
    totalStaff: 0,
    // 金凤: 1,170 cameras; a sample of its 1,312 kitchen cameras; drones.
    cameras: { street: 830, traffic: 210, kitchen: 130, drone: 6 },
    sensors: { oil_fume: 50, smoke: 40, water_level: 8, manhole: 6, noise: 4 },
    inspectionPoints: 3319,
    inspectionKinds: 116,
    rentedFlats: 600,
    // biome-ignore format: a table reads better in rows
    majorRoads: [
      '北京中路', '上海西路', '黄河东路', '长城中路', '宁安大街', '亲水大街', '正源北街', '阅海大道', '贺兰山路',
      '康平路', '宝湖路', '六盘山路', '满城北街', '湖滨西街', '泰康街', '尹家渠街',
    ],
  },
  city: {
    title: '东莞市',
    geography: {
      rootName: '东莞市',
      rootCode: '441900',
      rootLevel: 'city',
      center: [113.89, 22.91],
      widthKm: 76,
      heightKm: 56,
      shape: { kind: 'towns', wobble: 0.2 },
      // The 32 towns and streets at their seats, with their land areas in km² (rounded).
      streets: [
        { name: '莞城街道', at: [113.75, 23.04], area: 13 },
        { name: '南城街道', at: [113.74, 23.0], area: 59 },
        { name: '东城街道', at: [113.8, 23.02], area: 110 },
        { name: '万江街道', at: [113.71, 23.05], area: 50 },
        { name: '石碣镇', at: [113.8, 23.1], area: 36 },
        { name: '石龙镇', at: [113.86, 23.11], area: 14 },
        { name: '茶山镇', at: [113.88, 23.07], area: 46 },
        { name: '石排镇', at: [113.94, 23.08], area: 57 },
        { name: '企石镇', at: [114.03, 23.07], area: 56 },
        { name: '横沥镇', at: [113.97, 23.03], area: 48 },
        { name: '桥头镇', at: [114.09, 23.02], area: 56 },
        { name: '谢岗镇', at: [114.16, 22.96], area: 98 },
        { name: '东坑镇', at: [113.94, 22.99], area: 27 },
        { name: '常平镇', at: [114.01, 22.97], area: 108 },
        { name: '寮步镇', at: [113.87, 22.99], area: 78 },
        { name: '樟木头镇', at: [114.08, 22.91], area: 119 },
        { name: '大朗镇', at: [113.94, 22.93], area: 118 },
        { name: '黄江镇', at: [114.0, 22.87], area: 97 },
        { name: '清溪镇', at: [114.16, 22.84], area: 143 },
        { name: '塘厦镇', at: [114.08, 22.8], area: 128 },
        { name: '凤岗镇', at: [114.15, 22.74], area: 82 },
        { name: '大岭山镇', at: [113.84, 22.89], area: 95 },
        { name: '长安镇', at: [113.8, 22.8], area: 98 },
        { name: '虎门镇', at: [113.67, 22.82], area: 178 },
        { name: '厚街镇', at: [113.69, 22.93], area: 126 },
        { name: '沙田镇', at: [113.6, 22.9], area: 109 },
        { name: '道滘镇', at: [113.67, 23.0], area: 54 },
        { name: '洪梅镇', at: [113.61, 23.0], area: 33 },
        { name: '麻涌镇', at: [113.58, 23.05], area: 86 },
        { name: '望牛墩镇', at: [113.65, 23.06], area: 32 },
        { name: '中堂镇', at: [113.65, 23.1], area: 60 },
        { name: '高埗镇', at: [113.73, 23.08], area: 34 },
      ],
      communities: 590,
      grids: 2934,
      cellsPerGrid: 6,
      gridExponent: 0.7,
      villageShare: 0.6,
      communityStems: DONGGUAN_STEMS,
    },
    // 东莞: 10,291 staff over 2,934 grids.
    workersPerGrid: [
      [2, 0.3],
      [3, 0.7],
    ],
    gridChiefs: true,
    totalStaff: 10_291,
    cameras: { street: 4100, traffic: 1040, kitchen: 640, drone: 20 },
    sensors: { oil_fume: 250, smoke: 300, water_level: 40, manhole: 30, noise: 20 },
    inspectionPoints: 14_000,
    inspectionKinds: 116,
    rentedFlats: 3730,
    // biome-ignore format: a table reads better in rows
    majorRoads: [
      '东莞大道', '莞太路', '莞长路', '莞樟路', '东城大道', '鸿福路', '元美路', '松山湖大道', '环城路', '石龙大道',
      '常平大道', '莞龙路', '广深大道', '虎门大道', '长安大道', '塘厦大道', '凤岗大道', '厚街大道', '莞深大道', '新城大道',
    ],
  },
};
