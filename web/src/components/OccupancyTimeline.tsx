import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { addDays, formatDate, formatNumber } from '../format';
import { TIMELINE_WEEKS, type UnitRow } from '../pages/CapacityBoard';

/**
 * One unit's free places day by day over the coming weeks: a step chart for the eye and the same
 * runs as a table for screen readers and keyboard users (the chart itself is hidden from them).
 * Loaded on demand, so the chart library is not part of the first page's JavaScript.
 */
export default function OccupancyTimeline({ row }: { row: UnitRow }) {
  const { t, i18n } = useTranslation();
  const { unit, municipality } = row;
  const runs = unit.freePlaceRuns;
  // A step chart needs a point where each run starts and one at the end of the last.
  const points = [...runs.map((r) => ({ day: r.from, free: r.freePlaces })), ...(runs.length ? [{ day: runs.at(-1)!.to, free: runs.at(-1)!.freePlaces }] : [])];
  const title = t('capacity.timelineFor', { kind: t(`kinds.${unit.kind}`), district: unit.district, municipality: municipality.name });
  // It opens below the unit table, often out of sight: brought into view for each unit chosen.
  const section = useRef<HTMLElement>(null);
  useEffect(() => section.current?.scrollIntoView({ block: 'start' }), [unit.id]);
  return (
    <section className="timeline" aria-labelledby="timeline-title" ref={section}>
      <h2 id="timeline-title">{t('capacity.timeline', { weeks: TIMELINE_WEEKS })}</h2>
      <p>{title}</p>
      <div className="chart" aria-hidden="true">
        <ResponsiveContainer width="100%" height={220}>
          <AreaChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" tickFormatter={(d: string) => formatDate(d, i18n.language)} minTickGap={40} />
            <YAxis allowDecimals={false} domain={[0, unit.places]} />
            <Tooltip labelFormatter={(d) => formatDate(String(d), i18n.language)} />
            <Area type="stepAfter" dataKey="free" name={t('capacity.free')} stroke="#1d4f91" fill="#c9dcf5" isAnimationActive={false} />
          </AreaChart>
        </ResponsiveContainer>
      </div>
      <table className="timeline-table">
        <caption>{t('capacity.timelineTable')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('capacity.period')}</th>
            <th scope="col">{t('capacity.free')}</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.from}>
              <td>
                {formatDate(r.from, i18n.language)} – {formatDate(addDays(r.to, -1), i18n.language)}
              </td>
              <td className="number">{formatNumber(r.freePlaces)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
