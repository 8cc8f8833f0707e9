import { useRef } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { formatDateTime } from '../format';
import { OfferPlacementDocument } from '../gql/graphql';
import { OtherErrors } from './UnavailableBanner';

/**
 * One idempotency key per request and unit for the life of the page, wherever the pair is offered
 * from (a proposal or the coordinator's own pick): a double click, a retry after a lost answer, or
 * the same pair offered from both lists sends the same key, and the region offers once.
 */
const offerKeys = new Map<string, string>();
function offerKey(pair: string): string {
  if (!offerKeys.has(pair)) offerKeys.set(pair, crypto.randomUUID());
  return offerKeys.get(pair)!;
}

interface Ref {
  municipalityCode: string;
  id: string;
}

/** "Erbjud": offers the unit for the request; then says until when the receiving municipality has to answer. */
export function OfferButton({
  request,
  unit,
  receiving,
  what,
  onOffered,
}: {
  request: Ref;
  unit: Ref;
  receiving: string;
  /** What is offered, for a screen reader (the button's visible text is the same everywhere). */
  what: string;
  onOffered(): void;
}) {
  const { t, i18n } = useTranslation();
  const [result, offer] = useMutation(OfferPlacementDocument);
  const busy = useRef(false);
  const offered = result.data?.offerPlacement;
  if (offered) {
    return (
      <p role="status" className="banner banner-success">
        {t('requests.offered', { municipality: receiving, until: offered.holdExpiresAt ? formatDateTime(offered.holdExpiresAt, i18n.language) : '–' })}
      </p>
    );
  }
  return (
    <>
      <OtherErrors error={result.error} />
      <Button
        className="button primary"
        isDisabled={result.fetching}
        onPress={async () => {
          if (busy.current) return;
          busy.current = true;
          const answer = await offer({
            input: { requestMunicipality: request.municipalityCode, requestId: request.id, unitMunicipality: unit.municipalityCode, unitId: unit.id },
            idempotencyKey: offerKey(`${request.municipalityCode}/${request.id}->${unit.municipalityCode}/${unit.id}`),
          });
          busy.current = false;
          if (answer.data) onOffered();
        }}
      >
        {result.fetching ? t('requests.offering') : t('requests.offer')}
        <span className="visually-hidden">: {what}</span>
      </Button>
    </>
  );
}

/** Why a unit fits a request: the constraints it meets and how its score came about, as the API says. */
export function Explanation({ lines }: { lines: string[] }) {
  const { t } = useTranslation();
  return (
    <details>
      <summary>{t('requests.why')}</summary>
      <ul>
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </details>
  );
}
