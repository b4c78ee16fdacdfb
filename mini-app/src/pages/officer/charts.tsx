import { useLayoutEffect, useRef, useState, type RefObject } from 'react';
import type { DashboardData, WardFigures } from '../../services/officer-types';
import { settingsStore } from '../../stores/settings';
import { useStore } from '../../stores/store';

/**
 * Small inline SVG charts, no chart library: drawn at the container's real width in CSS pixels (no viewBox
 * scaling), with text at the reader's own text size, so that a chart at 200% text on a 320px phone is as legible
 * as the page around it. Every number drawn is also written out as text by the dashboard beside the chart.
 */

/** "12,5%", "0,01%", "< 0,01%": the share of adults, as officers report it. */
export function formatPercent(share: number): string {
  const pct = share * 100;
  if (pct > 0 && pct < 0.01) return '< 0,01%';
  return `${pct.toLocaleString('vi-VN', { maximumFractionDigits: pct < 10 ? 2 : 1 })}%`;
}

export const formatCount = (n: number) => n.toLocaleString('vi-VN');

function useWidth(ref: RefObject<HTMLElement>): number {
  const [width, setWidth] = useState(300);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth || 300);
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth || 300));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return width;
}

/** The text size of the page (18px times the reader's setting), for laying text out inside the SVG. */
function useFontPx(): number {
  return 18 * useStore(settingsStore).textScale;
}

/** A rough width of a text line: enough to keep labels from running off the chart. */
const textWidth = (text: string, fs: number) => text.length * fs * 0.56;

/** The text, cut with "…" when it would run off the chart (the full name is written out below the chart). */
function fitText(text: string, room: number, fs: number): string {
  if (textWidth(text, fs) <= room) return text;
  const chars = Math.max(1, Math.floor(room / (fs * 0.56)) - 1);
  return `${text.slice(0, chars)}…`;
}

/** Per ward, the share of adults at the basic level as a bar, against the 2025 and 2026 targets drawn as lines. */
export function ShareChart({ wards, targets }: { wards: WardFigures[]; targets: DashboardData['targets'] }) {
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  const fs = useFontPx();
  const line = fs * 1.35;
  const pad = 4;
  const plot = Math.max(100, width - pad * 2);
  const x = (share: number) => pad + Math.min(1, Math.max(0, share)) * plot;
  const header = line * 2 + 4;
  const row = line * 2 + 10;
  const height = header + wards.length * row + 4;
  const full25 = `Chỉ tiêu 2025: ${formatPercent(targets[2025])}`;
  const full26 = `Chỉ tiêu 2026: ${formatPercent(targets[2026])}`;
  // Large text on a narrow phone: the short form, ending at its line ("2025: 80%").
  const t25 = textWidth(full25, fs) <= x(targets[2025]) - pad ? full25 : `2025: ${formatPercent(targets[2025])}`;
  const t26 = textWidth(full26, fs) <= x(targets[2026]) - pad ? full26 : `2026: ${formatPercent(targets[2026])}`;

  return (
    <div ref={box} className="chart">
      <svg width={width} height={height} role="img" aria-labelledby="share-chart-title share-chart-desc" style={{ fontSize: `${fs}px` }}>
        <title id="share-chart-title">Tỷ lệ người trưởng thành đạt kỹ năng số cơ bản theo phường, xã, so với chỉ tiêu</title>
        <desc id="share-chart-desc">
          {`${full25}. ${full26}. `}
          {wards.map((w) => `${w.ward}: ${formatPercent(w.share)}`).join('; ')}
        </desc>
        {/* The further target on top, each line starting under its own label, so no line crosses a label. */}
        <text className="chart-text chart-target-label" x={x(targets[2026])} y={line * 0.95} textAnchor="end">
          {t26}
        </text>
        <text className="chart-text chart-target-label" x={x(targets[2025])} y={line * 1.95} textAnchor={x(targets[2025]) - textWidth(t25, fs) < 0 ? 'start' : 'end'}>
          {t25}
        </text>
        {wards.map((w, i) => {
          const top = header + i * row;
          const end = x(w.share);
          const label = formatPercent(w.share);
          const outside = end + 6 + textWidth(label, fs) <= width;
          const met = w.share >= targets[2025];
          return (
            <g key={w.ward} className="chart-row">
              <text className="chart-text" x={pad} y={top + line * 0.95}>
                {fitText(w.ward, plot, fs)}
              </text>
              <rect className="chart-track" x={pad} y={top + line + 2} width={plot} height={line} />
              <rect className={met ? 'chart-bar chart-bar-met' : 'chart-bar'} x={pad} y={top + line + 2} width={Math.max(0, end - pad)} height={line} />
              <text
                className={outside ? 'chart-text chart-value' : 'chart-text chart-value chart-value-inside'}
                x={outside ? end + 6 : end - 6}
                y={top + line * 1.95}
                textAnchor={outside ? 'start' : 'end'}
              >
                {label}
              </text>
            </g>
          );
        })}
        <line className="chart-target chart-target-2025" x1={x(targets[2025])} x2={x(targets[2025])} y1={line * 2 + 4} y2={height} />
        <line className="chart-target chart-target-2026" x1={x(targets[2026])} x2={x(targets[2026])} y1={line + 4} y2={height} />
      </svg>
    </div>
  );
}

/** "2026-03-02" → "02/03". */
const shortWeek = (week: string) => `${week.slice(8, 10)}/${week.slice(5, 7)}`;

/** Learners and learners at the basic level, week by week, as two lines (dashed and solid, not colour alone). */
export function TrendChart({ trend }: { trend: DashboardData['trend'] }) {
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  const fs = useFontPx();
  const line = fs * 1.35;
  const max = Math.max(1, ...trend.map((p) => Math.max(p.learners, p.basic)));
  const maxLabel = formatCount(max);
  const left = textWidth(maxLabel, fs) + 8;
  const right = 8;
  const top = line * 0.8;
  const plotH = Math.max(120, fs * 8);
  const height = top + plotH + line + 6;
  const step = trend.length > 1 ? (width - left - right) / (trend.length - 1) : 0;
  const px = (i: number) => left + i * step;
  const py = (v: number) => top + plotH - (v / max) * plotH;
  const points = (key: 'learners' | 'basic') => trend.map((p, i) => `${px(i)},${py(p[key])}`).join(' ');
  const first = trend[0];
  const last = trend.at(-1);

  return (
    <div ref={box} className="chart">
      <svg width={width} height={height} role="img" aria-labelledby="trend-chart-title trend-chart-desc" style={{ fontSize: `${fs}px` }}>
        <title id="trend-chart-title">Số người học và số người đạt kỹ năng số cơ bản, 12 tuần gần đây</title>
        <desc id="trend-chart-desc">{trend.map((p) => `Tuần ${shortWeek(p.week)}: ${p.learners} người học, ${p.basic} đạt mức cơ bản`).join('; ')}</desc>
        <line className="chart-axis" x1={left} x2={left} y1={top} y2={top + plotH} />
        <line className="chart-axis" x1={left} x2={width - right} y1={top + plotH} y2={top + plotH} />
        <text className="chart-text" x={left - 6} y={top + fs * 0.35} textAnchor="end">
          {maxLabel}
        </text>
        <text className="chart-text" x={left - 6} y={top + plotH} textAnchor="end">
          0
        </text>
        <polyline className="chart-line chart-line-learners" points={points('learners')} />
        <polyline className="chart-line chart-line-basic" points={points('basic')} />
        {trend.map((p, i) => (
          <g key={p.week}>
            <circle className="chart-dot chart-dot-learners" cx={px(i)} cy={py(p.learners)} r={4} />
            <rect className="chart-dot chart-dot-basic" x={px(i) - 4} y={py(p.basic) - 4} width={8} height={8} />
          </g>
        ))}
        {first && (
          <text className="chart-text" x={left} y={height - 4} textAnchor="start">
            {shortWeek(first.week)}
          </text>
        )}
        {last && trend.length > 1 && (
          <text className="chart-text" x={width - right} y={height - 4} textAnchor="end">
            {shortWeek(last.week)}
          </text>
        )}
      </svg>
    </div>
  );
}
