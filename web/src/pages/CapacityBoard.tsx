import { useVirtualizer } from '@tanstack/react-virtual';
import { lazy, Suspense, useMemo, useRef, useState, type FormEvent } from 'react';
import { Button, Checkbox, Form, Input, Label, NumberField, TextField } from 'react-aria-components';
import { SelectField } from '../components/SelectField';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { OtherErrors, UnavailableBanner } from '../components/UnavailableBanner';
import { addDays, formatDate, formatNumber, todayInStockholm } from '../format';
import { CapacityBoardDocument, type CapacityBoardQuery, type HousingUnitKind } from '../gql/graphql';

const KINDS: HousingUnitKind[] = ['PROTECTED', 'TRAINING_FLAT', 'EMERGENCY', 'SUPPORTED'];
/** The occupancy timeline covers the coming weeks from today. */
export const TIMELINE_WEEKS = 8;
const ROW_HEIGHT = 44;

type Municipality = CapacityBoardQuery['region']['municipalities'][number];
type Unit = NonNullable<Municipality['housingUnits']>[number];
export interface UnitRow {
  unit: Unit;
  municipality: { code: string; name: string };
}

interface Filters {
  kind: HousingUnitKind | null;
  householdSize: number;
  wheelchair: boolean;
  children: boolean;
  from: string;
  /** Last day included, as people say it; the API's `to` is the day after. */
  through: string;
}

const OccupancyTimeline = lazy(() => import('../components/OccupancyTimeline'));

/** Regional capacity: free places per municipality and unit over a chosen period, with a per-unit timeline. */
export function CapacityBoard() {
  const { t, i18n } = useTranslation();
  const today = todayInStockholm();
  const [draft, setDraft] = useState<Filters>({ kind: null, householdSize: 1, wheelchair: false, children: false, from: today, through: addDays(today, 13) });
  const [filters, setFilters] = useState<Filters>(draft);
  const [periodError, setPeriodError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  const variables = useMemo(
    () => ({
      from: filters.from,
      to: addDays(filters.through, 1),
      timelineFrom: today,
      timelineTo: addDays(today, TIMELINE_WEEKS * 7),
      filter: {
        statuses: ['AVAILABLE' as const],
        ...(filters.kind ? { kinds: [filters.kind] } : {}),
        ...(filters.wheelchair ? { wheelchairAccessible: true } : {}),
        ...(filters.children ? { suitableForChildren: true } : {}),
      },
    }),
    [filters, today],
  );
  const [{ data, error, fetching }] = useQuery({ query: CapacityBoardDocument, variables });

  const municipalities = data?.region.municipalities ?? [];
  const names = useMemo(() => new Map(municipalities.map((m) => [m.code, m.name])), [municipalities]);
  const rows: UnitRow[] = useMemo(
    () =>
      municipalities.flatMap((m) =>
        (m.housingUnits ?? []).filter((u) => u.freePlaces >= filters.householdSize).map((unit) => ({ unit, municipality: { code: m.code, name: m.name } })),
      ),
    [municipalities, filters.householdSize],
  );
  const freeTotal = rows.reduce((sum, r) => sum + r.unit.freePlaces, 0);
  const municipalitiesWithRows = new Set(rows.map((r) => r.municipality.code)).size;
  const selectedRow = rows.find((r) => r.unit.id === selected) ?? null;

  /** A changed date clears the period's error: it is checked again on submit. */
  const changePeriod = (change: Partial<Pick<Filters, 'from' | 'through'>>) => {
    setDraft({ ...draft, ...change });
    setPeriodError(null);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.through < draft.from) {
      setPeriodError(t('capacity.invalidPeriod'));
      return;
    }
    setPeriodError(null);
    setFilters(draft);
  };

  return (
    <>
      <h1>{t('capacity.title')}</h1>
      <UnavailableBanner error={error} names={names} />
      <OtherErrors error={error} />
      {/* validationBehavior "aria": the period's error is shown, not left on the input as a browser
          constraint, which blocked every later submit (corrected dates included) until a reload. */}
      <Form onSubmit={submit} className="filters" aria-label={t('capacity.filters')} validationBehavior="aria">
        <SelectField
          label={t('capacity.kind')}
          options={[{ id: 'ANY', label: t('capacity.anyKind') }, ...KINDS.map((kind) => ({ id: kind, label: t(`kinds.${kind}`) }))]}
          selected={draft.kind ?? 'ANY'}
          onChange={(id) => setDraft({ ...draft, kind: id === 'ANY' ? null : (id as HousingUnitKind) })}
        />
        <NumberField
          value={draft.householdSize}
          minValue={1}
          maxValue={20}
          onChange={(v) => setDraft({ ...draft, householdSize: Number.isNaN(v) ? 1 : v })}
          className="field"
        >
          <Label>{t('capacity.householdSize')}</Label>
          <Input />
        </NumberField>
        <TextField value={draft.from} onChange={(v) => changePeriod({ from: v })} className="field" isRequired>
          <Label>{t('capacity.from')}</Label>
          <Input type="date" />
        </TextField>
        <TextField value={draft.through} onChange={(v) => changePeriod({ through: v })} className="field" isRequired isInvalid={!!periodError}>
          <Label>{t('capacity.to')}</Label>
          <Input type="date" aria-describedby={periodError ? 'period-error' : undefined} />
        </TextField>
        <Checkbox isSelected={draft.wheelchair} onChange={(v) => setDraft({ ...draft, wheelchair: v })} className="checkbox">
          <span className="box" aria-hidden="true" />
          {t('capacity.wheelchair')}
        </Checkbox>
        <Checkbox isSelected={draft.children} onChange={(v) => setDraft({ ...draft, children: v })} className="checkbox">
          <span className="box" aria-hidden="true" />
          {t('capacity.children')}
        </Checkbox>
        <Button type="submit" className="button primary">
          {t('capacity.apply')}
        </Button>
        {periodError && (
          <p id="period-error" className="field-error" role="alert">
            {periodError}
          </p>
        )}
      </Form>
      <p aria-live="polite" className="summary">
        {fetching && !data
          ? t('capacity.loading')
          : t('capacity.summary', { units: formatNumber(rows.length), places: formatNumber(freeTotal), municipalities: formatNumber(municipalitiesWithRows) })}
        {' · '}
        {t('capacity.period')}: {formatDate(filters.from, i18n.language)} – {formatDate(filters.through, i18n.language)}
      </p>
      {data && rows.length === 0 && <p>{t('capacity.noUnits')}</p>}
      {rows.length > 0 && <UnitTable rows={rows} selected={selected} onSelect={setSelected} />}
      {selectedRow && (
        <Suspense fallback={<p>{t('capacity.loading')}</p>}>
          <OccupancyTimeline row={selectedRow} />
        </Suspense>
      )}
    </>
  );
}

/** The units as one table, virtualised: only the rows in view are in the page, however many municipalities answer. */
function UnitTable({ rows, selected, onSelect }: { rows: UnitRow[]; selected: string | null; onSelect(id: string): void }) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const before = items[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  return (
    <div ref={scroller} className="table-scroller" tabIndex={0} role="region" aria-label={t('capacity.title')}>
      <table className="units" aria-rowcount={rows.length + 1}>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col">{t('capacity.municipality')}</th>
            <th scope="col">{t('capacity.kind')}</th>
            <th scope="col">{t('capacity.district')}</th>
            <th scope="col">{t('capacity.places')}</th>
            <th scope="col">{t('capacity.free')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('capacity.showTimeline')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {before > 0 && <tr aria-hidden="true" style={{ height: before }} />}
          {items.map((item) => {
            const { unit, municipality } = rows[item.index]!;
            return (
              <tr key={unit.id} aria-rowindex={item.index + 2} style={{ height: ROW_HEIGHT }} data-unit-id={unit.id}>
                <td>{municipality.name}</td>
                <td>{t(`kinds.${unit.kind}`)}</td>
                <td>{unit.district}</td>
                <td className="number">{formatNumber(unit.places)}</td>
                <td className="number">{formatNumber(unit.freePlaces)}</td>
                <td>
                  <Button className="button small" onPress={() => onSelect(unit.id)} aria-pressed={selected === unit.id}>
                    {t('capacity.showTimeline')}
                    <span className="visually-hidden">
                      : {t(`kinds.${unit.kind}`)}, {unit.district}, {municipality.name}
                    </span>
                  </Button>
                </td>
              </tr>
            );
          })}
          {after > 0 && <tr aria-hidden="true" style={{ height: after }} />}
        </tbody>
      </table>
    </div>
  );
}
