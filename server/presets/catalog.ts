/**
 * Departments, case categories and inspection-point kinds of a Chinese digital city management /
 * social governance center. Shared by every preset: these follow the trade, not the place.
 */
import type { Category, Department, SensorKind } from '../../protocol';

interface DepartmentDef {
  id: string;
  name: string;
  nameEn: string;
}

/** The 19 departments (东莞: 19 departments take the matters assigned to grids). */
export const DEPARTMENT_DEFS: readonly DepartmentDef[] = [
  { id: 'dept-urban', name: '城管局', nameEn: 'Urban Management Bureau' },
  { id: 'dept-env', name: '生态环境局', nameEn: 'Ecology and Environment Bureau' },
  { id: 'dept-fire', name: '消防救援大队', nameEn: 'Fire and Rescue Brigade' },
  { id: 'dept-police', name: '公安分局', nameEn: 'Public Security Sub-bureau' },
  { id: 'dept-housing', name: '住建局', nameEn: 'Housing and Construction Bureau' },
  { id: 'dept-market', name: '市场监管局', nameEn: 'Market Regulation Bureau' },
  { id: 'dept-transport', name: '交通运输局', nameEn: 'Transport Bureau' },
  { id: 'dept-water', name: '水务局', nameEn: 'Water Affairs Bureau' },
  { id: 'dept-health', name: '卫健局', nameEn: 'Health Commission' },
  { id: 'dept-emergency', name: '应急管理局', nameEn: 'Emergency Management Bureau' },
  { id: 'dept-land', name: '自然资源局', nameEn: 'Natural Resources Bureau' },
  { id: 'dept-civil', name: '民政局', nameEn: 'Civil Affairs Bureau' },
  { id: 'dept-edu', name: '教育局', nameEn: 'Education Bureau' },
  { id: 'dept-power', name: '供电公司', nameEn: 'Power Supply Company' },
  { id: 'dept-gas', name: '燃气公司', nameEn: 'Gas Company' },
  { id: 'dept-telecom', name: '通信公司', nameEn: 'Telecom Operator' },
  { id: 'dept-parks', name: '园林局', nameEn: 'Parks and Landscaping Bureau' },
  { id: 'dept-enforce', name: '街道综合执法队', nameEn: 'Street Law Enforcement Team' },
  { id: 'dept-community', name: '社区居委会', nameEn: "Residents' Committee" },
];

type CategoryRow = [
  code: string,
  name: string,
  nameEn: string,
  handleMinutes: number,
  departmentId: string,
  autoDispatch?: boolean,
];

/**
 * Categories by group. handleMinutes are working minutes at the grid level (one working day = 480):
 * 道路不洁 5 working hours, 暴露垃圾 1 working day, 违法搭建 15 working days.
 */
const CATEGORY_GROUPS: ReadonlyArray<[group: string, rows: readonly CategoryRow[]]> = [
  [
    '市容环境',
    [
      ['exposed_garbage', '暴露垃圾', 'Exposed garbage', 480, 'dept-urban'],
      ['dirty_road', '道路不洁', 'Dirty road surface', 300, 'dept-urban'],
      ['overflowing_bin', '垃圾满溢', 'Overflowing bin', 240, 'dept-urban'],
      ['stacked_materials', '乱堆物料', 'Materials piled in public space', 480, 'dept-enforce'],
      ['illegal_ads', '违规广告', 'Illegal advertising and flyposting', 480, 'dept-urban'],
      ['muck_spill', '渣土撒漏', 'Spilled construction muck', 120, 'dept-urban'],
    ],
  ],
  [
    '街面秩序',
    [
      ['street_vending', '占道经营', 'Street vending', 120, 'dept-enforce'],
      ['outside_shop', '店外经营', 'Business outside the shop', 120, 'dept-enforce'],
      ['open_bbq', '露天烧烤', 'Open-air barbecue', 60, 'dept-enforce'],
      ['bike_parking', '共享单车乱停放', 'Badly parked shared bikes', 120, 'dept-transport'],
      ['illegal_parking', '机动车乱停放', 'Illegally parked vehicle', 60, 'dept-police'],
      ['vagrancy', '流浪乞讨', 'Vagrancy and begging', 240, 'dept-civil'],
    ],
  ],
  [
    '环境保护',
    [
      ['oil_fume', '油烟污染', 'Cooking-fume pollution', 240, 'dept-env', true],
      ['noise', '噪声扰民', 'Noise nuisance', 120, 'dept-env'],
      ['open_burning', '露天焚烧', 'Open burning', 60, 'dept-env'],
      ['sewage_discharge', '污水直排', 'Sewage discharge', 480, 'dept-env'],
      ['construction_dust', '工地扬尘', 'Construction-site dust', 240, 'dept-housing'],
    ],
  ],
  [
    '市政设施',
    [
      ['missing_manhole', '井盖缺失', 'Missing manhole cover', 120, 'dept-housing'],
      ['damaged_manhole', '井盖破损', 'Damaged manhole cover', 480, 'dept-housing'],
      ['streetlight_out', '路灯不亮', 'Street light out', 1440, 'dept-urban'],
      ['road_damage', '道路破损', 'Damaged road', 2400, 'dept-transport'],
      ['sidewalk_damage', '人行道破损', 'Damaged pavement', 2400, 'dept-housing'],
      ['railing_damage', '护栏破损', 'Damaged railing', 1440, 'dept-transport'],
      ['traffic_light_fault', '信号灯故障', 'Traffic-light fault', 120, 'dept-police'],
      ['waterlogging', '积水', 'Waterlogging', 240, 'dept-water'],
      ['water_main_burst', '供水管道破裂', 'Burst water main', 120, 'dept-water'],
      ['power_hazard', '电力设施隐患', 'Power-facility hazard', 240, 'dept-power'],
      ['gas_leak', '燃气泄漏', 'Gas leak', 30, 'dept-gas'],
      ['messy_cables', '线缆凌乱', 'Tangled overhead cables', 2400, 'dept-telecom'],
    ],
  ],
  [
    '园林绿化',
    [
      ['fallen_tree', '树木倒伏', 'Fallen tree', 240, 'dept-parks'],
      ['damaged_greenery', '绿地损毁', 'Damaged green space', 1440, 'dept-parks'],
      ['vegetable_plot', '毁绿种菜', 'Vegetables planted on green space', 2400, 'dept-parks'],
    ],
  ],
  [
    '违法建设',
    [
      ['illegal_construction', '违法搭建', 'Illegal construction', 7200, 'dept-enforce'],
      ['illegal_land_use', '违法占地', 'Illegal land occupation', 7200, 'dept-land'],
    ],
  ],
  [
    '安全隐患',
    [
      ['fire_hazard', '消防隐患', 'Fire hazard', 480, 'dept-fire'],
      ['smoke_alarm', '烟感报警', 'Smoke-detector alarm', 30, 'dept-fire', true],
      ['ebike_charging', '电动车违规充电', 'Unsafe e-bike charging', 240, 'dept-fire'],
      ['group_rental', '群租房隐患', 'Overcrowded rental hazard', 2400, 'dept-police'],
      ['work_safety', '安全生产隐患', 'Workplace safety hazard', 1440, 'dept-emergency'],
      ['hazardous_chemicals', '危化品隐患', 'Hazardous-chemical risk', 240, 'dept-emergency'],
      ['food_safety', '食品安全隐患', 'Food-safety issue', 480, 'dept-market'],
      ['unlicensed_business', '无照经营', 'Unlicensed business', 2400, 'dept-market'],
    ],
  ],
  [
    '社会治理',
    [
      ['dispute', '矛盾纠纷', 'Dispute between residents', 2400, 'dept-community'],
      ['special_care', '特殊人群关爱', 'Special-care resident visit', 1440, 'dept-civil'],
      ['school_safety', '校园周边隐患', 'Hazard near a school', 480, 'dept-edu'],
      ['pest_vectors', '病媒生物孳生', 'Pest and vector breeding', 1440, 'dept-health'],
      ['public_security', '治安隐患', 'Public-security risk', 240, 'dept-police'],
    ],
  ],
];

export function buildCategories(): Category[] {
  return CATEGORY_GROUPS.flatMap(([group, rows]) =>
    rows.map(([code, name, nameEn, handleMinutes, departmentId, autoDispatch]) => ({
      code,
      name,
      nameEn,
      group,
      handleMinutes,
      departmentId,
      autoDispatch: autoDispatch ?? false,
    })),
  );
}

export function buildDepartments(categories: readonly Category[]): Department[] {
  return DEPARTMENT_DEFS.map((d) => ({
    id: d.id,
    name: d.name,
    nameEn: d.nameEn,
    categories: categories.filter((c) => c.departmentId === d.id).map((c) => c.code),
  }));
}

/** The category a sensor's alarm is filed under (金凤: monitor → warn → dispatch → handle). */
export const SENSOR_CATEGORY: Readonly<Record<SensorKind, string>> = {
  oil_fume: 'oil_fume',
  smoke: 'smoke_alarm',
  water_level: 'waterlogging',
  manhole: 'missing_manhole',
  noise: 'noise',
};

export interface InspectionKind {
  code: string;
  name: string;
  group: string;
  /** Relative frequency: bins and lamps are everywhere, reservoirs are rare. */
  weight: number;
}

/** [group, [name, weight]…]: 116 kinds of inspection point (兴隆台: 3,319 points of 116 kinds). */
// biome-ignore format: a table reads better in rows
const INSPECTION_GROUPS: ReadonlyArray<[string, ReadonlyArray<[string, number]>]> = [
  [
    '市容环卫',
    [
      ['垃圾桶', 10], ['果皮箱', 8], ['垃圾收集点', 6], ['垃圾中转站', 2], ['公共厕所', 4], ['环卫工具房', 2],
      ['大件垃圾堆放点', 1], ['再生资源回收点', 2], ['餐厨垃圾收集点', 3], ['建筑垃圾消纳点', 1], ['洒水车取水点', 1],
      ['化粪池', 2], ['公共座椅', 4], ['户外广告牌', 5], ['门头招牌', 8], ['公益广告牌', 4], ['宣传栏', 4],
      ['报刊亭', 1], ['便民服务亭', 2], ['垃圾分类督导点', 4],
    ],
  ],
  [
    '市政设施',
    [
      ['雨水井盖', 9], ['污水井盖', 8], ['电力井盖', 5], ['通信井盖', 5], ['燃气井盖', 3], ['路灯', 10], ['景观灯', 4],
      ['交通信号灯', 4], ['交通标志牌', 5], ['道路护栏', 5], ['隔离墩', 3], ['公交站亭', 4], ['人行天桥', 1],
      ['地下通道', 1], ['过街斑马线', 4], ['减速带', 3], ['消火栓', 6], ['雨水箅子', 6], ['排水泵站', 1],
      ['配电箱', 4], ['变压器', 2], ['通信基站', 2],
    ],
  ],
  [
    '园林绿化',
    [['行道树', 8], ['绿化带', 6], ['花坛', 4], ['街头游园', 2], ['城市公园', 1], ['古树名木', 1], ['绿地', 5], ['树池', 4]],
  ],
  [
    '街面秩序',
    [
      ['非机动车停放区', 5], ['共享单车停放点', 5], ['机动车停车场', 3], ['占道经营易发点', 4], ['夜市摊区', 1],
      ['流动摊贩疏导点', 1], ['出租车候客点', 1], ['快递驿站', 3], ['临时停车泊位', 3], ['充电桩', 3],
    ],
  ],
  [
    '重点场所',
    [
      ['学校', 2], ['幼儿园', 2], ['医院', 1], ['社区卫生服务站', 2], ['药店', 3], ['养老院', 1], ['农贸市场', 1],
      ['大型商超', 1], ['餐饮店', 9], ['小作坊', 2], ['宾馆酒店', 2], ['网吧', 1], ['歌舞娱乐场所', 1], ['洗浴场所', 1],
      ['宗教场所', 1], ['文化广场', 1], ['体育场馆', 1], ['图书馆', 1], ['车站', 1], ['加油站', 1], ['加气站', 1],
      ['汽车维修点', 2],
    ],
  ],
  [
    '安全生产',
    [
      ['燃气调压站', 1], ['液化气供应站', 1], ['危化品仓库', 1], ['建筑工地', 2], ['工地围挡', 3], ['塔吊', 1],
      ['高层建筑', 3], ['老旧小区', 3], ['电动车集中充电点', 3], ['三小场所', 5], ['出租屋', 6], ['厂房仓库', 2],
      ['人员密集场所', 2], ['地下空间', 1],
    ],
  ],
  [
    '水务防汛',
    [['易涝点', 2], ['河道断面', 2], ['排污口', 1], ['闸门', 1], ['防汛物资点', 1], ['水库塘坝', 1], ['供水加压站', 1], ['雨水排放口', 2]],
  ],
  [
    '社会治理',
    [
      ['社区服务中心', 1], ['网格工作站', 2], ['警务室', 1], ['调解室', 1], ['志愿服务站', 1], ['新时代文明实践站', 1],
      ['退役军人服务站', 1], ['党群服务中心', 1], ['居家养老服务站', 1], ['儿童之家', 1], ['便民服务点', 2], ['监控立杆', 4],
    ],
  ],
];

export const INSPECTION_KINDS: readonly InspectionKind[] = INSPECTION_GROUPS.flatMap(([group, kinds]) =>
  kinds.map(([name, weight]) => ({ name, group, weight })),
).map((k, i) => ({ code: `P${String(i + 1).padStart(3, '0')}`, ...k }));
