import { lazy, Suspense, useMemo, useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { SelectField } from '../components/SelectField';
import { OtherErrors } from '../components/UnavailableBanner';
import { formatDateTime, formatNumber, todayInStockholm } from '../format';
import {
  RegionMembersDocument,
  StatisticsDatasetsDocument,
  StatisticsReleasesDocument,
  StatisticsTableDocument,
  type StatisticsTableQuery,
} from '../gql/graphql';
import { hasRole, useSession } from '../session';
import { cellsOf, formatValue, periodsOf, REGION, SUPPRESSION_REASONS, TOTAL, type StatisticsRow } from '../statistics/cells';

const StatisticsChart = lazy(() => import('../components/StatisticsChart'));
/** The years offered: this one and the four before (the demo data spans three). */
const YEARS_BACK = 4;

type Table = StatisticsTableQuery['statistics'];

/**
 * The joint statistics for analysts and coordinators: one dataset and year as the region released
 * it, as a table (quarters × categories with totals) and a chart, the region's or one covered
 * municipality's; withheld cells marked with their reason, never shown as 0; who the figures cover
 * and who was left out; the exports to download (through the web server, which holds the token);
 * for coordinators, the release log.
 */
export function Statistics() {
  const { t } = useTranslation();
  const user = useSession().user!;
  const thisYear = Number(todayInStockholm().slice(0, 4));
  const [{ data: datasetsData, error: datasetsError }] = useQuery({ query: StatisticsDatasetsDocument });
  const [{ data: members }] = useQuery({ query: RegionMembersDocument });
  const names = useMemo(() => new Map((members?.region.municipalities ?? []).map((m) => [m.code, m.name])), [members]);
  const datasets = datasetsData?.statisticsDatasets ?? [];
  const [draft, setDraft] = useState<{ dataset: string | null; year: number }>({ dataset: null, year: thisYear });
  const [chosen, setChosen] = useState<{ dataset: string; year: number } | null>(null);
  const [area, setArea] = useState(REGION);
  const [{ data, error, fetching }] = useQuery({ query: StatisticsTableDocument, variables: chosen ?? { dataset: '', year: thisYear }, pause: !chosen });
  const table = chosen && data?.statistics.dataset === chosen.dataset && data.statistics.year === chosen.year ? data.statistics : null;
  const dataset = datasets.find((d) => d.name === table?.dataset);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const name = draft.dataset ?? datasets[0]?.name;
    if (!name) return;
    setArea(REGION);
    setChosen({ dataset: name, year: draft.year });
  };
  const datasetLabel = (name: string) => t(`statistics.datasets.${name}`, { defaultValue: name });
  const areaName = (code: string) => (code === REGION ? t('statistics.region') : `${names.get(code) ?? code} (${code})`);

  return (
    <>
      <h1>{t('statistics.title')}</h1>
      <OtherErrors error={datasetsError ?? error} />
      <Form onSubmit={submit} className="filters" aria-label={t('statistics.choose')}>
        <SelectField
          label={t('statistics.dataset')}
          options={datasets.map((d) => ({ id: d.name, label: datasetLabel(d.name) }))}
          selected={draft.dataset ?? datasets[0]?.name ?? null}
          onChange={(id) => setDraft({ ...draft, dataset: id })}
        />
        <SelectField
          label={t('statistics.year')}
          options={Array.from({ length: YEARS_BACK + 1 }, (_, i) => String(thisYear - i)).map((y) => ({ id: y, label: y }))}
          selected={String(draft.year)}
          onChange={(id) => setDraft({ ...draft, year: Number(id) })}
        />
        <Button type="submit" className="button primary" isDisabled={datasets.length === 0}>
          {t('statistics.show')}
        </Button>
      </Form>
      <p aria-live="polite" className="summary">
        {chosen && fetching ? t('statistics.loading') : table ? t('statistics.showing', { dataset: datasetLabel(table.dataset), year: table.year }) : ''}
      </p>
      {table && dataset && (
        <section aria-labelledby="statistics-table-title" className="statistics">
          <h2 id="statistics-table-title">
            {datasetLabel(table.dataset)} {table.year}
          </h2>
          <Coverage table={table} areaName={areaName} />
          <Downloads dataset={table.dataset} year={table.year} />
          {dataset.perMunicipality && (
            <SelectField
              label={t('statistics.area')}
              options={[REGION, ...table.municipalitiesCovered].map((code) => ({ id: code, label: areaName(code) }))}
              selected={area}
              onChange={setArea}
            />
          )}
          <StatisticsGrid
            table={table}
            area={area}
            caption={`${datasetLabel(table.dataset)} ${table.year}, ${areaName(area)}`}
            categories={dataset.categories}
          />
          <SuppressionLegend />
          <Suspense fallback={<p>{t('statistics.loading')}</p>}>
            <StatisticsChart table={table} area={area} year={table.year} categories={dataset.categories} />
          </Suspense>
        </section>
      )}
      {hasRole(user, 'COORDINATOR') && <ReleaseLog dataset={chosen?.dataset ?? null} />}
    </>
  );
}

/** "Covers N municipalities", and each one left out with the reason the region gave. */
function Coverage({ table, areaName }: { table: Table; areaName(code: string): string }) {
  const { t, i18n } = useTranslation();
  const reasons = new Map(table.missingReasons.map((m) => [m.municipalityCode, m.reason]));
  return (
    <div className="coverage">
      <p>
        {t('statistics.covers', { count: table.municipalitiesCovered.length, formatted: formatNumber(table.municipalitiesCovered.length) })}:{' '}
        {table.municipalitiesCovered.map(areaName).join(', ')}.{' '}
        {t('statistics.release', { release: table.release, when: formatDateTime(String(table.releasedAt), i18n.language), threshold: table.threshold })}
      </p>
      {table.municipalitiesMissing.length === 0 ? (
        <p>{t('statistics.noneMissing')}</p>
      ) : (
        <>
          <p>{t('statistics.missing', { count: table.municipalitiesMissing.length })}</p>
          <ul className="missing">
            {table.municipalitiesMissing.map((code) => (
              <li key={code}>
                {areaName(code)}: <span lang="en">{reasons.get(code) ?? t('statistics.noReason')}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** Quarters by categories, the year's row and the total column; a withheld cell shows its mark and reason. */
function StatisticsGrid({ table, area, caption, categories }: { table: Table; area: string; caption: string; categories: readonly string[] }) {
  const { t } = useTranslation();
  const cells = cellsOf(table, area, categories);
  const periods = periodsOf(table.year);
  const columns = [...categories, TOTAL];
  return (
    <div className="table-scroller" tabIndex={0} role="region" aria-label={caption}>
      <table className="statistics-table" data-area={area}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('statistics.period')}</th>
            {columns.map((c) => (
              <th scope="col" key={c} data-category={c}>
                {c === TOTAL ? t('statistics.total') : t(`statistics.categories.${c}`, { defaultValue: c })}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[...periods.quarters, periods.year].map((period) => (
            <tr key={period} data-period={period}>
              <th scope="row">{period === periods.year ? t('statistics.wholeYear', { year: period }) : period}</th>
              {columns.map((c) => (
                <td key={c} className="number" data-category={c}>
                  <Cell row={cells.get(`${period}|${c}`)} unit={table.unit} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Cell({ row, unit }: { row: Pick<StatisticsRow, 'value' | 'suppressed' | 'reason'> | undefined; unit: string }) {
  const { t, i18n } = useTranslation();
  if (!row) return <span className="suppressed">–</span>;
  if (row.suppressed || row.value === null || row.value === undefined) {
    const reason = row.reason ?? 'NO_DATA';
    return (
      <span className="suppressed" data-reason={reason}>
        <span aria-hidden="true">× </span>
        {t(`statistics.reasons.${reason}.short`, { defaultValue: reason })}
      </span>
    );
  }
  return <>{formatValue(row.value, unit, i18n.language)}</>;
}

function SuppressionLegend() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="legend-title" className="legend">
      <h3 id="legend-title">{t('statistics.legend')}</h3>
      <p>{t('statistics.legendIntro')}</p>
      <dl>
        {SUPPRESSION_REASONS.map((r) => (
          <div key={r} data-reason={r}>
            <dt>
              <span aria-hidden="true">× </span>
              {t(`statistics.reasons.${r}.short`)}
            </dt>
            <dd>{t(`statistics.reasons.${r}.long`)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** The exports, through the web server, which asks the gateway with the session's token. */
function Downloads({ dataset, year }: { dataset: string; year: number }) {
  const { t } = useTranslation();
  const base = `/downloads/statistics/${encodeURIComponent(dataset)}`;
  return (
    <p className="downloads">
      <a className="button" href={`${base}.xlsx?year=${year}`} download>
        {t('statistics.downloadWorkbook')}
      </a>{' '}
      <a className="button" href={`${base}.csv?year=${year}&locale=sv`} download>
        {t('statistics.downloadExcel')}
      </a>{' '}
      <a className="button" href={`${base}.csv?year=${year}`} download>
        {t('statistics.downloadCsv')}
      </a>{' '}
      <a className="button" href={`${base}.json?year=${year}`} download>
        {t('statistics.downloadJson')}
      </a>
    </p>
  );
}

/** Coordinators: which table was released to which client, when, over which municipalities. */
function ReleaseLog({ dataset }: { dataset: string | null }) {
  const { t, i18n } = useTranslation();
  const [{ data, error }] = useQuery({ query: StatisticsReleasesDocument, variables: { dataset }, requestPolicy: 'cache-and-network' });
  const entries = data?.statisticsReleases ?? [];
  return (
    <section aria-labelledby="releases-title" className="releases">
      <h2 id="releases-title">{t('statistics.releases')}</h2>
      <OtherErrors error={error} />
      {data && entries.length === 0 && <p>{t('statistics.noReleases')}</p>}
      {entries.length > 0 && (
        <table className="releases-table">
          <caption className="visually-hidden">{t('statistics.releases')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('statistics.releasedAt')}</th>
              <th scope="col">{t('statistics.dataset')}</th>
              <th scope="col">{t('statistics.year')}</th>
              <th scope="col">{t('statistics.releaseNo')}</th>
              <th scope="col">{t('statistics.client')}</th>
              <th scope="col">{t('statistics.coveredCount')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{formatDateTime(String(e.releasedAt), i18n.language)}</td>
                <td>{t(`statistics.datasets.${e.dataset}`, { defaultValue: e.dataset })}</td>
                <td>{e.year}</td>
                <td className="number">{e.release}</td>
                <td>{e.clientSub}</td>
                <td className="number">{e.municipalitiesCovered.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
