import { RISK_LEVEL_NAMES, RISK_LEVELS, type RiskLevel } from './rules.js';

/**
 * The level of risk over time (RISK-1, best practice point 13: risk changes over time) as a chart the
 * server draws: coordinates only, so the page renders an SVG with no script, and a table beside it says
 * the same in words. Pure.
 */

export type ChartPoint = { at: Date; level: RiskLevel };

export type RiskChart = {
  width: number;
  height: number;
  /** One horizontal line per level, lowest at the bottom. */
  levels: { level: RiskLevel; name: string; y: number }[];
  dots: { x: number; y: number; label: string }[];
  /** The SVG path joining the dots, oldest first; empty with fewer than two. */
  line: string;
  /** The first and last dates under the axis. */
  dates: { x: number; text: string; anchor: 'start' | 'end' | 'middle' }[];
  /** What the chart shows, for its title and description. */
  description: string;
};

const WIDTH = 640;
const HEIGHT = 240;
const LEFT = 90;
const RIGHT = 20;
const TOP = 20;
const BOTTOM = 40;

const dateText = (at: Date) => at.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/London' });
const round = (n: number) => Math.round(n * 10) / 10;

export function riskChart(points: readonly ChartPoint[]): RiskChart {
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const yOf = (level: RiskLevel) => round(TOP + plotHeight - (RISK_LEVELS.indexOf(level) * plotHeight) / (RISK_LEVELS.length - 1));
  const first = points[0]?.at.getTime() ?? 0;
  const span = (points.at(-1)?.at.getTime() ?? 0) - first;
  // One review, or several at one moment, sit in the middle; otherwise spread by time.
  const xOf = (at: Date) => round(span === 0 ? LEFT + plotWidth / 2 : LEFT + ((at.getTime() - first) * plotWidth) / span);
  const dots = points.map((p) => ({ x: xOf(p.at), y: yOf(p.level), label: `${dateText(p.at)}: ${RISK_LEVEL_NAMES[p.level].toLowerCase()}` }));
  const line = dots.length > 1 ? dots.map((d, i) => `${i === 0 ? 'M' : 'L'}${d.x} ${d.y}`).join(' ') : '';
  const dates =
    points.length === 0
      ? []
      : span === 0
        ? [{ x: xOf(points[0]!.at), text: dateText(points[0]!.at), anchor: 'middle' as const }]
        : [
            { x: LEFT, text: dateText(points[0]!.at), anchor: 'start' as const },
            { x: LEFT + plotWidth, text: dateText(points.at(-1)!.at), anchor: 'end' as const },
          ];
  const latest = points.at(-1);
  const description =
    points.length === 0
      ? 'No risk reviews yet.'
      : `${points.length} risk review${points.length === 1 ? '' : 's'} from ${dateText(points[0]!.at)} to ${dateText(latest!.at)}. ${dots.map((d) => d.label).join('; ')}. Latest: ${RISK_LEVEL_NAMES[latest!.level].toLowerCase()}.`;
  return { width: WIDTH, height: HEIGHT, levels: RISK_LEVELS.map((level) => ({ level, name: RISK_LEVEL_NAMES[level], y: yOf(level) })), dots, line, dates, description };
}
