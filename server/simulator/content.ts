/**
 * What simulated reports say: the category mix of each channel, descriptions in the words that
 * grid workers, residents and machines use, fictional reporters with 11-digit mobile numbers.
 */
import type { CaseSource, Reporter, Satisfaction } from '../../protocol';
import { personName } from '../presets/names';
import type { Rng } from '../presets/random';

/** Channels that produce reports on their own schedule (sensors and work orders have theirs). */
export type Channel = 'grid_worker' | 'hotline' | 'wechat' | 'app' | 'web' | 'video' | 'drone';
export const CHANNELS: readonly Channel[] = ['grid_worker', 'hotline', 'wechat', 'app', 'web', 'video', 'drone'];
export const RESIDENT_CHANNELS: readonly Channel[] = ['hotline', 'wechat', 'app', 'web'];

type Mix = Readonly<Record<string, number>>;

/** Grid workers find the small everyday things on patrol (金凤: 70 % of cases). */
const GRID_WORKER_MIX: Mix = {
  exposed_garbage: 12,
  dirty_road: 8,
  overflowing_bin: 6,
  stacked_materials: 8,
  illegal_ads: 7,
  muck_spill: 1,
  street_vending: 7,
  outside_shop: 6,
  bike_parking: 5,
  illegal_parking: 3,
  vagrancy: 0.5,
  open_burning: 0.5,
  sewage_discharge: 0.5,
  construction_dust: 1.5,
  damaged_manhole: 2,
  streetlight_out: 2.5,
  road_damage: 1.5,
  sidewalk_damage: 2,
  railing_damage: 1,
  messy_cables: 2,
  waterlogging: 0.5,
  damaged_greenery: 2,
  vegetable_plot: 1,
  fallen_tree: 0.3,
  illegal_construction: 1.5,
  fire_hazard: 3,
  ebike_charging: 3,
  work_safety: 1,
  food_safety: 0.5,
  unlicensed_business: 1,
  group_rental: 1,
  dispute: 3,
  special_care: 3,
  school_safety: 0.5,
  pest_vectors: 1,
  public_security: 1,
};

/** Residents call about what bothers them at home: noise, fumes, parking, lights, water. */
const RESIDENT_MIX: Mix = {
  noise: 10,
  oil_fume: 5,
  illegal_parking: 8,
  exposed_garbage: 6,
  overflowing_bin: 3,
  streetlight_out: 5,
  road_damage: 4,
  water_main_burst: 1.5,
  waterlogging: 2,
  damaged_manhole: 3,
  missing_manhole: 1,
  dispute: 4,
  illegal_construction: 4,
  street_vending: 4,
  open_bbq: 3,
  construction_dust: 3,
  pest_vectors: 2,
  power_hazard: 1,
  gas_leak: 0.3,
  fallen_tree: 1,
  bike_parking: 2,
  traffic_light_fault: 1,
  food_safety: 2,
  fire_hazard: 1,
  sewage_discharge: 1,
  ebike_charging: 1.5,
  group_rental: 1,
  public_security: 1,
};

/** What the cameras' video analysis recognises (占道经营, 乱停放, 暴露垃圾…). */
const VIDEO_MIX: Mix = {
  street_vending: 10,
  outside_shop: 8,
  illegal_parking: 10,
  exposed_garbage: 6,
  overflowing_bin: 4,
  open_bbq: 2,
  muck_spill: 3,
  bike_parking: 5,
  open_burning: 1,
  traffic_light_fault: 1,
  stacked_materials: 2,
};

/** Kitchen cameras (明厨亮灶) see kitchens. */
const KITCHEN_MIX: Mix = { food_safety: 6, pest_vectors: 1, fire_hazard: 1 };

/** Drones see roofs and fields: building, burning, dust, farming on green space. */
const DRONE_MIX: Mix = {
  illegal_construction: 5,
  illegal_land_use: 3,
  open_burning: 3,
  construction_dust: 3,
  vegetable_plot: 3,
  sewage_discharge: 2,
  exposed_garbage: 2,
};

/** Rented-flat patrols (东莞) find overcrowding, fire risks and charging e-bikes. */
export const WORK_ORDER_MIX: Mix = {
  group_rental: 4,
  fire_hazard: 3,
  ebike_charging: 4,
  public_security: 1,
  work_safety: 1,
  hazardous_chemicals: 0.3,
};

/** A storm over one town: water, trees, power. */
export const STORM_MIX: Mix = {
  waterlogging: 35,
  fallen_tree: 25,
  power_hazard: 10,
  road_damage: 10,
  damaged_greenery: 10,
  streetlight_out: 5,
  damaged_manhole: 5,
};

export const CHANNEL_MIX: Readonly<Record<Channel, Mix>> = {
  grid_worker: GRID_WORKER_MIX,
  hotline: RESIDENT_MIX,
  wechat: RESIDENT_MIX,
  app: RESIDENT_MIX,
  web: RESIDENT_MIX,
  video: VIDEO_MIX,
  drone: DRONE_MIX,
};
export { KITCHEN_MIX };

/** Small things a grid worker fixes on the spot ("small things stay in the grid"). */
export const SELF_HANDLEABLE: ReadonlySet<string> = new Set([
  'exposed_garbage',
  'dirty_road',
  'overflowing_bin',
  'stacked_materials',
  'illegal_ads',
  'street_vending',
  'outside_shop',
  'bike_parking',
  'illegal_parking',
  'vagrancy',
  'ebike_charging',
  'fire_hazard',
  'dispute',
  'special_care',
  'pest_vectors',
]);

/** Always urgent: danger to life. */
export const URGENT_CATEGORIES: ReadonlySet<string> = new Set([
  'gas_leak',
  'water_main_burst',
  'missing_manhole',
  'hazardous_chemicals',
]);

/** Categories a grid can rarely solve alone: they go to a department more often. */
export const DEPARTMENT_HEAVY: ReadonlySet<string> = new Set([
  'illegal_construction',
  'illegal_land_use',
  'road_damage',
  'sidewalk_damage',
  'streetlight_out',
  'traffic_light_fault',
  'water_main_burst',
  'power_hazard',
  'gas_leak',
  'messy_cables',
  'sewage_discharge',
  'construction_dust',
  'hazardous_chemicals',
  'food_safety',
  'unlicensed_business',
  'noise',
  'oil_fume',
  'smoke_alarm',
  'waterlogging',
  'fallen_tree',
  'missing_manhole',
  'damaged_manhole',
]);

/** A weighted picker over a mix, restricted to the categories the server knows. */
export class MixPicker {
  private readonly codes: string[];
  private readonly weights: number[];
  constructor(mix: Mix, known: (code: string) => boolean) {
    const entries = Object.entries(mix).filter(([code, w]) => w > 0 && known(code));
    this.codes = entries.map(([code]) => code);
    this.weights = entries.map(([, w]) => w);
  }
  get empty(): boolean {
    return this.codes.length === 0;
  }
  pick(rng: Rng): string {
    return this.codes[rng.weightedIndex(this.weights)] as string;
  }
  /** Share of the mix's weight held by codes in `set`. */
  shareOf(set: ReadonlySet<string>): number {
    let inSet = 0;
    let total = 0;
    this.codes.forEach((c, i) => {
      const w = this.weights[i] as number;
      total += w;
      if (set.has(c)) inSet += w;
    });
    return total > 0 ? inSet / total : 0;
  }
}

/** What one sees, by category: two phrasings each, so the ticker does not repeat itself. */
// biome-ignore format: a table reads better in rows
const PHRASES: Readonly<Record<string, readonly string[]>> = {
  exposed_garbage: ['路边有生活垃圾堆放未清运', '绿化带内有暴露垃圾'],
  dirty_road: ['路面有大片油污和泥土', '人行道上纸屑烟头较多，路面不洁'],
  overflowing_bin: ['垃圾桶已满，垃圾溢出到地面', '垃圾收集点满溢，异味较大'],
  stacked_materials: ['楼道口乱堆杂物，影响通行', '人行道上堆放建材'],
  illegal_ads: ['电线杆上张贴小广告', '墙面有喷涂的办证广告'],
  muck_spill: ['渣土车沿路撒漏', '路口有大量渣土撒落'],
  street_vending: ['路口有流动摊贩占道经营', '人行道上有摆摊卖水果的'],
  outside_shop: ['商户在店外摆放货物经营', '饭店在门外摆桌经营'],
  open_bbq: ['夜间有人在路边露天烧烤', '烧烤摊烟雾很大'],
  bike_parking: ['共享单车堆放在盲道上', '地铁口共享单车乱停放'],
  illegal_parking: ['机动车停在消防通道上', '小区门口车辆乱停，堵住出入口'],
  vagrancy: ['桥下有流浪人员露宿', '路口有人乞讨'],
  oil_fume: ['餐馆油烟直排，楼上住户无法开窗', '饭店排烟管道油烟很大'],
  noise: ['夜间施工噪声扰民', '广场舞音响声音太大'],
  open_burning: ['空地上有人焚烧垃圾', '田边焚烧秸秆，浓烟较大'],
  sewage_discharge: ['雨水井有污水直排', '商户向河道排放污水'],
  construction_dust: ['工地未覆盖，扬尘严重', '拆迁现场未洒水降尘'],
  missing_manhole: ['路中间井盖缺失，非常危险', '人行道上井盖不见了'],
  damaged_manhole: ['井盖破损下沉', '井盖松动，车辆经过响声很大'],
  streetlight_out: ['路灯连续几盏不亮', '小区外道路路灯损坏'],
  road_damage: ['路面出现坑洼', '道路塌陷一处'],
  sidewalk_damage: ['人行道地砖松动破损', '盲道砖缺失'],
  railing_damage: ['道路护栏被撞倒', '护栏断裂'],
  traffic_light_fault: ['路口信号灯不亮', '信号灯一直黄闪'],
  waterlogging: ['下穿通道积水严重', '路口积水没过脚踝'],
  water_main_burst: ['供水管道破裂，水往外涌', '路面冒水，疑似水管爆裂'],
  power_hazard: ['电线垂落到人行道', '变压器箱门敞开'],
  gas_leak: ['闻到很浓的燃气味', '燃气管道疑似泄漏'],
  messy_cables: ['楼外线缆杂乱垂挂', '通信线缆私拉乱接'],
  fallen_tree: ['行道树倒伏压到路面', '大风刮断树枝挡住道路'],
  damaged_greenery: ['绿地被车辆碾压损毁', '花坛被破坏'],
  vegetable_plot: ['绿化带被开垦种菜', '小区绿地被种上蔬菜'],
  illegal_construction: ['楼顶正在搭建彩钢房', '院内私自加盖房屋'],
  illegal_land_use: ['耕地上堆土建房', '空地被圈占搭建'],
  fire_hazard: ['消防通道堆放杂物', '商铺灭火器过期'],
  smoke_alarm: ['独立式烟感报警', '烟感探测器报警'],
  ebike_charging: ['楼道内给电动车充电', '电动车电瓶带进屋内充电'],
  group_rental: ['出租屋内隔断群租，人员较多', '一套房住了十几个人'],
  work_safety: ['小作坊无安全防护', '厂房内电线老化'],
  hazardous_chemicals: ['仓库存放大量油漆稀料', '违规储存液化气瓶'],
  food_safety: ['后厨卫生状况差', '餐馆从业人员未戴口罩'],
  unlicensed_business: ['无证照经营的小作坊', '店铺无营业执照经营'],
  dispute: ['邻里因漏水发生纠纷', '租户与房东因押金发生争执'],
  special_care: ['独居老人需要上门探访', '困难家庭需要帮扶'],
  school_safety: ['校门口有流动摊贩', '学校周边车辆乱停'],
  pest_vectors: ['小区内老鼠较多', '积水容器孳生蚊虫'],
  public_security: ['夜间有人聚集滋事', '楼道门禁损坏，陌生人出入'],
};

const SOURCE_LEAD: Readonly<Record<CaseSource, string>> = {
  grid_worker: '网格员巡查发现：',
  hotline: '市民来电反映：',
  wechat: '市民通过微信公众号反映：',
  app: '市民通过随手拍反映：',
  web: '网上留言：',
  sensor: '设备报警：',
  video: '视频智能分析发现：',
  drone: '无人机巡查发现：',
  open311: '',
  work_order: '出租屋定期巡查发现：',
};

export function describeReport(rng: Rng, category: string, source: CaseSource, place: string, phone?: string): string {
  const phrases = PHRASES[category] ?? ['发现问题需要处理'];
  let text = `${SOURCE_LEAD[source]}${place}${rng.pick(phrases)}`;
  // Callers leave their number in the text too: the wall must never show it (masking).
  if (phone && rng.chance(0.35)) text += `，联系电话${phone}`;
  if (source === 'grid_worker' || source === 'work_order') text += rng.chance(0.5) ? '，已拍照取证。' : '。';
  else text += rng.chance(0.5) ? '，请尽快处理。' : '。';
  return text;
}

const MOBILE_PREFIXES = ['13', '15', '17', '18', '19'] as const;

/** A fictional mainland mobile number: 11 digits. */
export function mobile(rng: Rng): string {
  let n = rng.pick(MOBILE_PREFIXES);
  for (let i = 0; i < 9; i++) n += String(rng.int(0, 9));
  return n;
}

export function resident(rng: Rng): Reporter {
  return { name: personName(rng), phone: mobile(rng) };
}

export const REJECT_REASONS = [
  '不属于受理范围',
  '反映内容不实，现场核实无此问题',
  '属私人纠纷，建议通过司法途径解决',
  '信息不全，无法定位',
] as const;

export const FEEDBACK_NOTES = [
  '已处置完毕，现场恢复正常',
  '已协调相关单位处理完成',
  '已整改到位，附处置后照片',
  '已清理完毕',
  '当事人已按要求整改',
] as const;

export const SELF_FEEDBACK_NOTES = ['已现场处置', '已当场劝离并清理', '已现场协调解决'] as const;

export const RETURN_REASONS = ['不属于本单位职责范围', '派遣对象有误，请重新派遣', '问题位置不在本辖区'] as const;

export const ESCALATE_REASONS = [
  '本级无法协调解决，申请上级协调',
  '涉及多个部门，需联合执法',
  '当事人拒不整改，需上级介入',
] as const;

export const EXTEND_REASONS = ['需等待材料采购', '涉及施工，需协调作业时间', '当事人外出，需延后处置'] as const;

export const SUSPEND_REASONS = ['需纳入年度改造计划', '涉及历史遗留问题，暂无法解决', '需等待上级资金批复'] as const;

export const REOPEN_REASONS = ['核查未通过，问题仍存在', '现场复查仍有反复，需返工'] as const;

const SATISFACTION_TEXT: Readonly<Record<Satisfaction, string>> = {
  satisfied: '满意',
  basic: '基本满意',
  unsatisfied: '不满意',
};

/** The close note: the call back to the reporter names them (the wall masks the name). */
export function closeNote(reporter: Reporter | null, satisfaction: Satisfaction): string {
  return reporter
    ? `已回访${reporter.name}，评价${SATISFACTION_TEXT[satisfaction]}`
    : `核查通过，予以结案（${SATISFACTION_TEXT[satisfaction]}）`;
}
