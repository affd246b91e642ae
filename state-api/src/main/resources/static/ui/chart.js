// Time series with uPlot: a Preact component that creates the plot once and updates its data.
import uPlot from 'uplot';
import { useEffect, useRef } from 'preact/hooks';
import { h } from './lib.js';

const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** Whether a series has a value between two gaps (or an edge), which a line alone would not draw. */
function hasIsolated(values) {
  const gap = (v) => v === null || v === undefined;
  return values.some((v, i) => !gap(v) && gap(values[i - 1]) && gap(values[i + 1]));
}

/**
 * A line or bar chart. times: epoch seconds; series: [{label, values, color, bars}]. onSelect(fromMs, toMs) is
 * called when the user brushes a range (drag across the plot).
 */
export function TimeChart({ times, series, height = 180, onSelect, stacked = false }) {
  const box = useRef(null);
  const plot = useRef(null);
  const shape = series.map((s) => s.label).join('|');
  useEffect(() => {
    const width = box.current.clientWidth || 600;
    const axis = { stroke: css('--muted'), grid: { stroke: css('--grid'), width: 1 }, ticks: { stroke: css('--grid') } };
    const opts = {
      width,
      height,
      legend: { show: true },
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: true } },
      axes: [axis, { ...axis, size: 50 }],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          fill: s.bars || stacked ? s.color + '55' : undefined,
          width: 1.5,
          paths: s.bars ? uPlot.paths.bars({ size: [0.8, 40] }) : undefined,
          // a value with no neighbour (between gaps, e.g. a minute with calls among minutes without) is a dot
          points: { show: (u, i) => hasIsolated(u.data[i]), size: 5, fill: s.color },
        })),
      ],
      hooks: {
        setSelect: [
          (u) => {
            if (!onSelect || u.select.width < 4) return;
            const from = u.posToVal(u.select.left, 'x');
            const to = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, width: 0 }, false);
            onSelect(Math.round(from * 1000), Math.round(to * 1000));
          },
        ],
      },
    };
    plot.current = new uPlot(opts, [times, ...series.map((s) => s.values)], box.current);
    const resize = () => plot.current && plot.current.setSize({ width: box.current.clientWidth, height });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      plot.current.destroy();
      plot.current = null;
    };
  }, [shape, height]);
  useEffect(() => {
    if (plot.current) plot.current.setData([times, ...series.map((s) => s.values)]);
  }, [times, series]);
  return h('div', { class: 'chart', ref: box });
}

/** A tiny line without axes, for table rows. */
export function Sparkline({ values, color, width = 120, height = 24 }) {
  if (!values || values.length < 2) return h('span', { class: 'muted' }, '–');
  const max = Math.max(1, ...values);
  const step = width / (values.length - 1);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 1 - (v / max) * (height - 2)).toFixed(1)}`).join(' ');
  return h('svg', { class: 'spark', width, height, viewBox: `0 0 ${width} ${height}`, 'aria-hidden': 'true' }, h('polyline', { points, fill: 'none', stroke: color || 'currentColor', 'stroke-width': 1.5 }));
}

/** The level colours, the same in every view. */
export const LEVEL_COLORS = {
  TRACE: '#8e8e8e',
  DEBUG: '#6f8fb3',
  INFO: '#3f9d5a',
  WARN: '#d39b1b',
  ERROR: '#d6453d',
  FATAL: '#8b1a5a',
};
