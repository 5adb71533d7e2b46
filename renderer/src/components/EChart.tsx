import { useEffect, useRef } from 'react';
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

/**
 * Apache ECharts in a React component, the one piece for every chart of the app (the exposure chart
 * of a 压缩退出 case, the 经营看板's bars): only the parts registered here are bundled. SVG rather
 * than canvas: text stays crisp at any zoom, and a test can read the drawn labels from the DOM. The
 * chart follows its box's size (ResizeObserver) and is disposed with it.
 */
use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

/** What a click on a bar or point names: its series and category indexes (a figure's drill-down). */
export interface ChartClick {
  seriesIndex: number;
  dataIndex: number;
}

export function EChart({ option, height = 260, testId, label, onClick }: { option: ChartOption; height?: number; testId?: string; label: string; onClick?: (click: ChartClick) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  // The latest handler, read at click time, so a new closure each render does not rebind the chart.
  const clicked = useRef(onClick);
  clicked.current = onClick;
  useEffect(() => {
    if (box.current === null) return;
    const instance = init(box.current, undefined, { renderer: 'svg' });
    chart.current = instance;
    instance.on('click', (params) => clicked.current?.({ seriesIndex: params.seriesIndex ?? 0, dataIndex: params.dataIndex }));
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(box.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);
  return <div ref={box} role="img" aria-label={label} style={{ width: '100%', height, cursor: onClick === undefined ? undefined : 'pointer' }} data-testid={testId} />;
}

/** The apps' chart colours: the brand green first (the 经营看板, the console's 统计). */
export const CHART_GREEN = '#1f7a4d';
export const chartPalette = [CHART_GREEN, '#52a67a', '#8cc9a4', '#d9a441', '#cf6b4a', '#6b8fb3', '#9b7bb8', '#8c8c8c'];

/**
 * One series of green bars over named categories, the look of every bar chart of the apps. Upright
 * by default (few short names, labels turned when more than four); `horizontal` for a ranking of
 * many long names (branches), first at the top.
 */
export function barChartOption(categories: string[], values: number[], unit: string, options: { horizontal?: boolean } = {}): ChartOption {
  const series = [{ type: 'bar' as const, data: values, barMaxWidth: 36, itemStyle: { color: CHART_GREEN } }];
  if (options.horizontal === true) {
    return {
      color: chartPalette,
      tooltip: { trigger: 'axis' },
      grid: { left: 16, right: 32, top: 24, bottom: 24, containLabel: true },
      xAxis: { type: 'value', name: unit },
      yAxis: { type: 'category', data: categories, inverse: true, axisLabel: { width: 140, overflow: 'truncate' } },
      series,
    };
  }
  return {
    color: chartPalette,
    tooltip: { trigger: 'axis' },
    grid: { left: 56, right: 16, top: 24, bottom: 48 },
    xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, rotate: categories.length > 4 ? 30 : 0 } },
    yAxis: { type: 'value', name: unit },
    series,
  };
}
