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
