import { useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { formatNumber } from '../format';
import { BestUnitsForDocument } from '../gql/graphql';
import { Explanation, OfferButton } from './OfferButton';
import { SelectField } from './SelectField';
import { OtherErrors } from './UnavailableBanner';

/** How many units the coordinator is shown for one request. */
const LIMIT = 5;

interface OpenRequest {
  id: string;
  caseReference: string;
  municipality: { code: string; name: string };
}

/**
 * The coordinator's own pick, besides the optimal matching: the region's best units for one open
 * request (the API's bestUnitsFor), each with its explanation and an offer.
 */
export function BestUnits({ requests, names, onOffered }: { requests: OpenRequest[]; names: ReadonlyMap<string, string>; onOffered(): void }) {
  const { t } = useTranslation();
  const [choice, setChosen] = useState<string | null>(null);
  // The first request until one is chosen, and again when the chosen one is no longer open.
  const chosen = requests.some((r) => key(r) === choice) ? choice! : key(requests[0]!);
  const [shown, setShown] = useState<OpenRequest | null>(null);
  const [result] = useQuery({
    query: BestUnitsForDocument,
    variables: { requestMunicipality: shown?.municipality.code ?? '', requestId: shown?.id ?? '', limit: LIMIT },
    pause: !shown,
    requestPolicy: 'network-only',
  });
  const ranked = result.data?.bestUnitsFor ?? [];

  return (
    <section aria-labelledby="best-units-title" className="best-units">
      <h2 id="best-units-title">{t('requests.pickTitle')}</h2>
      <div className="filters">
        <SelectField
          label={t('requests.request')}
          options={requests.map((r) => ({ id: key(r), label: `${r.caseReference} (${r.municipality.name})` }))}
          selected={chosen}
          onChange={setChosen}
        />
        <Button className="button" isDisabled={result.fetching} onPress={() => setShown(requests.find((r) => key(r) === chosen) ?? null)}>
          {t('requests.showBest')}
        </Button>
      </div>
      <OtherErrors error={result.error} />
      {shown && result.data && (
        <>
          <h3>{t('requests.bestFor', { caseReference: shown.caseReference })}</h3>
          {ranked.length === 0 && <p>{t('requests.noUnits')}</p>}
          <ol className="proposals">
            {ranked.map(({ unit, score, constraintsMet, scoreNotes }) => {
              const receiving = names.get(unit.municipalityCode) ?? unit.municipalityCode;
              const what = `${t(`kinds.${unit.kind}`)}, ${unit.district}, ${receiving}`;
              return (
                <li key={`${shown.municipality.code}/${shown.id}/${unit.municipalityCode}/${unit.id}`} className="proposal ranked-unit">
                  <h4>{what}</h4>
                  <p>
                    {t('requests.score')}: {formatNumber(Math.round(score * 100) / 100)}
                  </p>
                  <Explanation lines={[...constraintsMet, ...scoreNotes]} />
                  <OfferButton
                    request={{ municipalityCode: shown.municipality.code, id: shown.id }}
                    unit={unit}
                    receiving={receiving}
                    what={`${shown.caseReference} → ${what}`}
                    onOffered={onOffered}
                  />
                </li>
              );
            })}
          </ol>
        </>
      )}
    </section>
  );
}

function key(r: OpenRequest): string {
  return `${r.municipality.code}/${r.id}`;
}
