import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, CanvasRenderer]);

export { echarts };
export type ChartOption = echarts.EChartsCoreOption;

export const CHART_FONT =
  '"GridWall Sans", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif';

export const PALETTE = [
  '#35d7ff',
  '#3ee08f',
  '#ffb020',
  '#c58bff',
  '#ff7a45',
  '#3a9bff',
  '#9be15d',
  '#ff5c8a',
  '#8b98ad',
  '#f5e663',
];
