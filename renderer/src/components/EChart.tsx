import { useEffect, useRef } from 'react';
import { LineChart, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

/**
 * Apache ECharts in a React component, one shared piece for every chart of the app (the exposure
 * chart of a 压缩退出 case first; the dashboard's later): only the parts registered here are
 * bundled. SVG rather than canvas: text stays crisp at any zoom, and a test can read the drawn
 * labels from the DOM. The chart follows its box's size (ResizeObserver) and is disposed with it.
 */
use([LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = ComposeOption<LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

export function EChart({ option, height = 260, testId, label }: { option: ChartOption; height?: number; testId?: string; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  useEffect(() => {
    if (box.current === null) return;
    const instance = init(box.current, undefined, { renderer: 'svg' });
    chart.current = instance;
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
  return <div ref={box} role="img" aria-label={label} style={{ width: '100%', height }} data-testid={testId} />;
}
