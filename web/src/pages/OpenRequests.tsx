import { useMemo, useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { Explanation, OfferButton } from '../components/OfferButton';
import { BestUnits } from '../components/BestUnits';
import { OtherErrors, UnavailableBanner } from '../components/UnavailableBanner';
import { formatDate, formatNumber } from '../format';
import { OpenRequestsDocument, ProposePlacementsDocument, type ProposePlacementsQuery } from '../gql/graphql';

type Proposal = ProposePlacementsQuery['proposePlacements']['proposals'][number];

/** The coordinator's queue of open requests across the region, the optimal proposals, and offers made from them. */
export function OpenRequests() {
  const { t, i18n } = useTranslation();
  const [{ data, error, fetching }, reload] = useQuery({ query: OpenRequestsDocument });
  const [proposeOn, setProposeOn] = useState(false);
  const [proposals] = useQuery({ query: ProposePlacementsDocument, pause: !proposeOn, requestPolicy: 'network-only' });
  const municipalities = data?.region.municipalities ?? [];
  const names = useMemo(() => new Map(municipalities.map((m) => [m.code, m.name])), [municipalities]);
  const requests = municipalities.flatMap((m) => (m.placementRequests ?? []).map((r) => ({ ...r, municipality: m })));

  return (
    <>
      <h1>{t('requests.title')}</h1>
      <UnavailableBanner error={error ?? proposals.error} names={names} />
      <OtherErrors error={error} />
      {!fetching && requests.length === 0 && <p>{t('requests.none')}</p>}
      {requests.length > 0 && (
        <div className="table-scroller" tabIndex={0} role="region" aria-label={t('requests.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('requests.caseReference')}</th>
                <th scope="col">{t('requests.from')}</th>
                <th scope="col">{t('requests.urgency')}</th>
                <th scope="col">{t('requests.waiting')}</th>
                <th scope="col">{t('requests.household')}</th>
                <th scope="col">{t('requests.start')}</th>
                <th scope="col">{t('requests.days')}</th>
              </tr>
            </thead>
            <tbody>
              {requests.map((r) => (
                <tr key={`${r.municipality.code}/${r.id}`}>
                  <td>{r.caseReference}</td>
                  <td>{r.municipality.name}</td>
                  <td>{t(`urgency.${r.urgency}`)}</td>
                  <td className="number">{formatNumber(r.waitingDays)}</td>
                  <td>{t('requests.householdValue', { size: r.householdSize, children: r.children })}</td>
                  <td>{formatDate(r.earliestStart, i18n.language)}</td>
                  <td className="number">{formatNumber(r.expectedDurationDays)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <Button className="button primary" onPress={() => setProposeOn(true)} isDisabled={proposals.fetching}>
          {proposals.fetching ? t('requests.proposing') : t('requests.propose')}
        </Button>
      </p>
      <OtherErrors error={proposals.error} />
      {proposals.data && (
        <section aria-labelledby="proposals-title">
          <h2 id="proposals-title">{t('requests.proposals')}</h2>
          {proposals.data.proposePlacements.optimal && <p>{t('requests.optimal')}</p>}
          <ol className="proposals">
            {proposals.data.proposePlacements.proposals.map((p) => (
              <ProposalItem
                key={`${p.request.municipalityCode}/${p.request.id}`}
                proposal={p}
                names={names}
                onOffered={() => reload({ requestPolicy: 'network-only' })}
              />
            ))}
          </ol>
          {proposals.data.proposePlacements.unmatched.length > 0 && (
            <>
              <h3>{t('requests.unmatched')}</h3>
              <ul>
                {proposals.data.proposePlacements.unmatched.map((u) => (
                  <li key={`${u.request.municipalityCode}/${u.request.id}`}>
                    {u.request.caseReference}: {u.explanation}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
      {requests.length > 0 && <BestUnits requests={requests} names={names} onOffered={() => reload({ requestPolicy: 'network-only' })} />}
    </>
  );
}

/** One proposal of the optimal matching, with its offer. */
function ProposalItem({ proposal, names, onOffered }: { proposal: Proposal; names: ReadonlyMap<string, string>; onOffered(): void }) {
  const { t } = useTranslation();
  const { request, unit } = proposal;
  const receiving = names.get(unit.municipalityCode) ?? unit.municipalityCode;
  const headingId = `proposal-${request.municipalityCode}-${request.id}`;
  return (
    <li className="proposal" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {request.caseReference} → {t(`kinds.${unit.kind}`)}, {unit.district}, {receiving}
      </h3>
      <p>
        {t('requests.urgency')}: {t(`urgency.${request.urgency}`)} · {t('requests.household')}: {formatNumber(request.householdSize)} · {t('requests.score')}:{' '}
        {formatNumber(Math.round(proposal.score * 100) / 100)}
      </p>
      <Explanation lines={[...proposal.constraintsMet, ...proposal.scoreNotes]} />
      <OfferButton request={request} unit={unit} receiving={receiving} what={request.caseReference} onOffered={onOffered} />
    </li>
  );
}
