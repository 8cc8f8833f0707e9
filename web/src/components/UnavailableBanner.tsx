import type { CombinedError } from 'urql';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';

/** The municipalities an answer left out: the API's MUNICIPALITY_UNAVAILABLE errors, by kommunkod. */
export function unavailableMunicipalities(error: CombinedError | undefined): string[] {
  const codes = (error?.graphQLErrors ?? [])
    .filter((e) => e.extensions?.code === 'MUNICIPALITY_UNAVAILABLE')
    .map((e) => String(e.extensions?.municipalityCode ?? ''))
    .filter(Boolean);
  return [...new Set(codes)].sort();
}

/** Partial failure made visible: the rest of the page shows what the other municipalities answered. */
export function UnavailableBanner({ error, names }: { error: CombinedError | undefined; names: ReadonlyMap<string, string> }) {
  const { t } = useTranslation();
  const codes = unavailableMunicipalities(error);
  if (codes.length === 0) return null;
  return (
    <section role="alert" className="banner banner-warning" aria-labelledby="unavailable-title">
      <h2 id="unavailable-title">{t('errors.unavailableTitle')}</h2>
      <ul>
        {codes.map((code) => (
          <li key={code}>{t('errors.unavailable', { name: `${names.get(code) ?? code} (${code})` })}</li>
        ))}
      </ul>
    </section>
  );
}

/** The error in the person's language where the app knows its code, else the API's own message (safe to show). */
export function inWords(t: TFunction, extensions: Record<string, unknown>, message: string): string {
  switch (extensions.code) {
    case 'FORBIDDEN':
      return t('errors.forbidden');
    case 'IDENTITY_PROVIDER_UNAVAILABLE':
      return t('errors.identityProviderUnavailable');
    case 'REGION_UNAVAILABLE': // the gateway did not answer the web server
    case 'REGIONAL_SERVICE_UNAVAILABLE': // the regional subgraph did not answer the gateway: the same for the person
      return t(extensions.requestMayHaveTakenEffect ? 'errors.regionNoAnswer' : 'errors.regionUnreachable');
    default:
      return message;
  }
}

/** Any other error of an answer, in words (the API's messages are already safe to show). */
export function OtherErrors({ error }: { error: CombinedError | undefined }) {
  const { t } = useTranslation();
  if (!error) return null;
  const others = error.graphQLErrors.filter((e) => e.extensions?.code !== 'MUNICIPALITY_UNAVAILABLE');
  const messages = [...(error.networkError ? [error.networkError.message] : []), ...others.map((e) => inWords(t, e.extensions ?? {}, e.message))];
  if (messages.length === 0) return null;
  return (
    <div role="alert" className="banner banner-error">
      {messages.map((m, i) => (
        <p key={i}>{t('errors.generic', { message: m })}</p>
      ))}
    </div>
  );
}
