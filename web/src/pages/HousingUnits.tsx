import { useMemo, useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { BookingCalendar, CALENDAR_WEEKS } from '../components/BookingCalendar';
import { UnitForm } from '../components/UnitForm';
import { OtherErrors, UnavailableBanner } from '../components/UnavailableBanner';
import { addDays, formatNumber, mondayOf, todayInStockholm } from '../format';
import { OwnHousingUnitsDocument, type OwnHousingUnitsQuery } from '../gql/graphql';

export type OwnUnit = NonNullable<OwnHousingUnitsQuery['myMunicipality']['housingUnits']>[number];

/**
 * The housing manager's own municipality's units: each with its booking calendar over the coming
 * weeks, a form to register a new one and one to change each. Offers to answer are on /placements.
 */
export function HousingUnits() {
  const { t } = useTranslation();
  // The calendar shows whole weeks, from this week's Monday.
  const from = mondayOf(todayInStockholm());
  const variables = useMemo(() => ({ from, to: addDays(from, CALENDAR_WEEKS * 7) }), [from]);
  const [{ data, error, fetching }, reload] = useQuery({ query: OwnHousingUnitsDocument, variables });
  const [saved, setSaved] = useState<string | null>(null);
  const own = data?.myMunicipality;
  const units = own?.housingUnits ?? [];
  const names = useMemo(() => new Map(own ? [[own.code, own.name]] : []), [own]);
  const refresh = (message: string) => {
    setSaved(message);
    reload({ requestPolicy: 'network-only' });
  };

  return (
    <>
      <h1>{own ? t('units.titleOf', { municipality: own.name }) : t('units.title')}</h1>
      <UnavailableBanner error={error} names={names} />
      <OtherErrors error={error} />
      <p>
        {t('units.offersAre')} <Link to="/placements">{t('nav.placements')}</Link>.
      </p>
      {saved && (
        <p role="status" className="banner banner-success">
          {saved}
        </p>
      )}
      <section aria-labelledby="register-title" className="unit-register">
        <h2 id="register-title">{t('units.register')}</h2>
        <UnitForm onSaved={() => refresh(t('units.registered'))} />
      </section>
      <h2>{t('units.list', { count: units.length, formatted: formatNumber(units.length) })}</h2>
      {!fetching && data && units.length === 0 && <p>{t('units.none')}</p>}
      <ul className="units-list">
        {units.map((unit) => (
          <UnitCard key={unit.id} unit={unit} from={variables.from} onSaved={() => refresh(t('units.updated'))} />
        ))}
      </ul>
    </>
  );
}

function UnitCard({ unit, from, onSaved }: { unit: OwnUnit; from: string; onSaved(): void }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const headingId = `unit-${unit.id}`;
  const traits = [unit.wheelchairAccessible && t('units.wheelchair'), unit.suitableForChildren && t('units.children')].filter(Boolean);
  return (
    <li className="unit-card" aria-labelledby={headingId} data-unit-id={unit.id}>
      <h3 id={headingId}>
        {t(`kinds.${unit.kind}`)}, {unit.district}
      </h3>
      <p>
        <strong className="status" data-status={unit.status}>
          {t(`unitStatus.${unit.status}`)}
        </strong>
        {' · '}
        {t('units.placesValue', { count: unit.places, formatted: formatNumber(unit.places) })}
        {traits.length > 0 && <> · {traits.join(', ')}</>}
      </p>
      {editing ? (
        <UnitForm
          unit={unit}
          onSaved={() => {
            setEditing(false);
            onSaved();
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <Button className="button" onPress={() => setEditing(true)}>
          {t('units.edit')}
          <span className="visually-hidden">
            : {t(`kinds.${unit.kind}`)}, {unit.district}
          </span>
        </Button>
      )}
      <BookingCalendar unit={unit} from={from} />
    </li>
  );
}
