import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

// Only what the dashboard draws: bars on a grid with a tooltip and a legend, on canvas.
echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** What a click on a bar names: its series and category indexes. */
export interface ChartClick {
  seriesIndex: number;
  dataIndex: number;
}

/**
 * An Apache ECharts chart in a div: drawn from `option`, redrawn when it changes, resized with its
 * box, and a click on a bar handed to `onClick` (the figure's drill-down).
 */
export function Chart({ option, onClick, height = 240, testId }: { option: EChartsCoreOption; onClick?: (click: ChartClick) => void; height?: number; testId: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const clicked = useRef(onClick);
  clicked.current = onClick;

  useEffect(() => {
    if (box.current === null) return;
    const instance = echarts.init(box.current);
    chart.current = instance;
    instance.on('click', (params) => clicked.current?.({ seriesIndex: params.seriesIndex ?? 0, dataIndex: params.dataIndex }));
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(box.current);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);

  return <div ref={box} style={{ width: '100%', height }} data-testid={testId} />;
}
