import { useEffect, useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { SelectField } from '../components/SelectField';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session';

interface SignInOptions {
  /** The organisations whose OpenID Providers people sign in at (the web server's /auth/sign-in). */
  organisations: { id: string; name: string }[];
}

/** The sign-in page: the person chooses their organisation and signs in at its identity provider. */
export function SignIn() {
  const { t } = useTranslation();
  const session = useSession();
  const [options, setOptions] = useState<SignInOptions | null>(null);
  const [organisation, setOrganisation] = useState<string | null>(null);

  useEffect(() => {
    void fetch('/auth/options')
      .then((r) => r.json() as Promise<SignInOptions>)
      .then((o) => {
        setOptions(o);
        setOrganisation(o.organisations[0]?.id ?? null);
      });
  }, []);

  // To the organisation's provider, through the web server (which keeps the PKCE verifier and state).
  const providerSignIn = (event: FormEvent) => {
    event.preventDefault();
    if (organisation) window.location.assign(`/auth/sign-in?organisation=${encodeURIComponent(organisation)}`);
  };

  return (
    <>
      <h1>{t('signIn.title')}</h1>
      {session.notice && (
        <p role="status" className="banner banner-info">
          {t(`signIn.${session.notice}`)}
        </p>
      )}
      <p>{t('signIn.intro')}</p>
      {options && options.organisations.length > 0 && (
        <Form onSubmit={providerSignIn}>
          <SelectField
            label={t('signIn.organisation')}
            options={options.organisations.map((o) => ({ id: o.id, label: o.name }))}
            selected={organisation}
            onChange={setOrganisation}
          />
          <Button type="submit" className="button primary">
            {t('signIn.toProvider')}
          </Button>
        </Form>
      )}
    </>
  );
}
