import { useMemo, useState } from 'react';
import { Input, Label, SearchField } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { SelectField } from '../components/SelectField';
import { OtherErrors } from '../components/UnavailableBanner';
import { formatDate, formatNumber } from '../format';
import { CaseworkerParticipantsDocument, type CaseworkerParticipantsQuery, type ParticipantPhase } from '../gql/graphql';
import { PHASES } from '../participants/choices';

type Open = CaseworkerParticipantsQuery['open'][number];
type Protected = CaseworkerParticipantsQuery['protected'][number];
/** A row of the list: a protected person's has no name or personnummer (the API was not asked for them). */
type Row = Protected & Partial<Pick<Open, 'firstName' | 'lastName' | 'personalIdentityNumber'>>;

/**
 * The caseworker's own municipality's participants, newest intake first, filtered by phase (the
 * API's) and searched here, in the list the page holds, by name, personnummer or case reference.
 * The search text stays in the page: never in the address, the title or the browser's storage.
 */
export function Participants() {
  const { t, i18n } = useTranslation();
  const [phase, setPhase] = useState<ParticipantPhase | 'ANY'>('ANY');
  const [search, setSearch] = useState('');
  const variables = useMemo(() => ({ phase: phase === 'ANY' ? null : phase }), [phase]);
  const [{ data, error, fetching }] = useQuery({ query: CaseworkerParticipantsDocument, variables });
  const rows = useMemo(() => newestFirst(data), [data]);
  const shown = rows.filter((row) => matches(row, search));

  return (
    <>
      <h1>{t('participants.title')}</h1>
      <p>
        <Link to="/participants/new" className="button primary">
          {t('participants.register')}
        </Link>
      </p>
      <OtherErrors error={error} />
      <div className="filters" role="search" aria-label={t('participants.filters')}>
        <SearchField value={search} onChange={setSearch} className="field">
          <Label>{t('participants.search')}</Label>
          <Input autoComplete="off" spellCheck={false} />
        </SearchField>
        <SelectField
          label={t('participants.phase')}
          options={[{ id: 'ANY', label: t('participants.anyPhase') }, ...PHASES.map((p) => ({ id: p, label: t(`phase.${p}`) }))]}
          selected={phase}
          onChange={(id) => setPhase(id as ParticipantPhase | 'ANY')}
        />
      </div>
      <p aria-live="polite" className="summary">
        {fetching && !data ? t('audit.loading') : t('participants.count', { count: shown.length, formatted: formatNumber(shown.length) })}
      </p>
      {shown.length > 0 && (
        <div className="table-scroller" tabIndex={0} role="region" aria-label={t('participants.title')}>
          <table className="participants-table">
            <thead>
              <tr>
                <th scope="col">{t('participants.name')}</th>
                <th scope="col">{t('participants.personalIdentityNumber')}</th>
                <th scope="col">{t('participants.phase')}</th>
                <th scope="col">{t('participants.risk')}</th>
                <th scope="col">{t('participants.intakeDate')}</th>
                <th scope="col">{t('participants.requests')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((row) => (
                <tr key={row.id} data-participant-id={row.id} data-protected={row.protectedIdentity || undefined}>
                  <th scope="row">
                    <Link to={`/participants/${row.id}`}>
                      {row.firstName !== undefined ? `${row.firstName} ${row.lastName}` : <span className="masked">{t('participants.protected')}</span>}
                    </Link>
                  </th>
                  <td>{row.personalIdentityNumber ?? <span className="masked">{t('participants.hidden')}</span>}</td>
                  <td>{t(`phase.${row.phase}`)}</td>
                  <td>{t(`risk.${row.riskLevel}`)}</td>
                  <td>{formatDate(row.intakeDate, i18n.language)}</td>
                  <td>
                    {row.placementRequests.map((r) => (
                      <span key={r.id} className="request-ref">
                        {r.caseReference} ({t(`requestStatus.${r.status}`)})
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** Both lists as one, in the API's order (newest intake first, then by id). */
function newestFirst(data: CaseworkerParticipantsQuery | undefined): Row[] {
  if (!data) return [];
  const rows: Row[] = [...data.open, ...data.protected];
  return rows.sort((a, b) => (a.intakeDate === b.intakeDate ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.intakeDate < b.intakeDate ? 1 : -1));
}

/** Every word of the search in the name, the personnummer (with or without its dash) or a case reference. */
function matches(row: Row, search: string): boolean {
  const words = search.toLocaleLowerCase('sv').split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = [row.firstName, row.lastName, row.personalIdentityNumber, ...row.placementRequests.map((r) => r.caseReference)]
    .filter(Boolean)
    .join(' ')
    .toLocaleLowerCase('sv');
  return words.every((word) => text.includes(word.replace(/^(\d{8})-(\d{4})$/, '$1$2')));
}
