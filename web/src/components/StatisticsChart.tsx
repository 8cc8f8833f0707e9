import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { StatisticsTableQuery } from '../gql/graphql';
import { cellsOf, periodsOf } from '../statistics/cells';

const COLOURS = ['#1d4f91', '#b35900', '#2f6b2f', '#7a1f7a', '#8a6100', '#a4000f', '#00627a', '#555555'];

/**
 * One area's quarters as grouped bars, a bar per category, for the eye; the table beside it is the
 * same figures for screen readers and keyboards, so the chart is hidden from them. A withheld cell
 * has no bar (never a zero one). Loaded on demand: Recharts is not in the first page's JavaScript.
 */
export default function StatisticsChart({
  table,
  area,
  year,
  categories,
}: {
  table: StatisticsTableQuery['statistics'];
  area: string;
  year: number;
  categories: readonly string[];
}) {
  const { t } = useTranslation();
  const cells = cellsOf(table, area, categories);
  const data = periodsOf(year).quarters.map((period) => ({
    period,
    ...Object.fromEntries(categories.map((c) => [c, cells.get(`${period}|${c}`)?.value ?? null])),
  }));
  return (
    <div className="chart statistics-chart" aria-hidden="true">
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="period" />
          <YAxis />
          <Tooltip />
          <Legend />
          {categories.map((c, i) => (
            <Bar key={c} dataKey={c} name={t(`statistics.categories.${c}`, { defaultValue: c })} fill={COLOURS[i % COLOURS.length]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
