import { useMemo, useRef, useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { OtherErrors, UnavailableBanner } from '../components/UnavailableBanner';
import { formatDate, formatDateTime, formatNumber } from '../format';
import { OfferPlacementDocument, OpenRequestsDocument, ProposePlacementsDocument, type ProposePlacementsQuery } from '../gql/graphql';

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
    </>
  );
}

/**
 * One proposal and its offer. The idempotency key is made once per proposal shown, so a double
 * click, or a retry after a lost answer, sends the same key and the region offers once.
 */
function ProposalItem({ proposal, names, onOffered }: { proposal: Proposal; names: ReadonlyMap<string, string>; onOffered(): void }) {
  const { t, i18n } = useTranslation();
  const idempotencyKey = useRef(crypto.randomUUID()).current;
  const [result, offer] = useMutation(OfferPlacementDocument);
  const { request, unit } = proposal;
  const receiving = names.get(unit.municipalityCode) ?? unit.municipalityCode;
  const offered = result.data?.offerPlacement;
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
      <details>
        <summary>{t('requests.why')}</summary>
        <ul>
          {[...proposal.constraintsMet, ...proposal.scoreNotes].map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </details>
      <OtherErrors error={result.error} />
      {offered ? (
        <p role="status" className="banner banner-success">
          {t('requests.offered', { municipality: receiving, until: offered.holdExpiresAt ? formatDateTime(offered.holdExpiresAt, i18n.language) : '–' })}
        </p>
      ) : (
        <Button
          className="button primary"
          isDisabled={result.fetching}
          onPress={async () => {
            const answer = await offer({
              input: { requestMunicipality: request.municipalityCode, requestId: request.id, unitMunicipality: unit.municipalityCode, unitId: unit.id },
              idempotencyKey,
            });
            if (answer.data) onOffered();
          }}
        >
          {result.fetching ? t('requests.offering') : t('requests.offer')}
          <span className="visually-hidden">: {request.caseReference}</span>
        </Button>
      )}
    </li>
  );
}
