import { useEffect, useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { SelectField } from '../components/SelectField';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session';

interface SignInOptions {
  /** OpenID Connect sign-in: a link to the web server's /auth/login. */
  oidc: boolean;
  /** The development sign-in's demo users; empty unless the server runs with it. */
  devUsers: { sub: string; who: string }[];
}

/** The sign-in page: the identity provider's sign-in, and in development the demo users. */
export function SignIn() {
  const { t } = useTranslation();
  const session = useSession();
  const [options, setOptions] = useState<SignInOptions | null>(null);
  const [devUser, setDevUser] = useState<string | null>(null);

  useEffect(() => {
    void fetch('/auth/options')
      .then((r) => r.json() as Promise<SignInOptions>)
      .then((o) => {
        setOptions(o);
        setDevUser(o.devUsers[0]?.sub ?? null);
      });
  }, []);

  const devSignIn = async (event: FormEvent) => {
    event.preventDefault();
    if (!devUser) return;
    const response = await fetch('/auth/dev/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub: devUser }),
    });
    if (response.ok) await session.refresh();
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
      {options?.oidc && (
        <p>
          <a className="button primary" href="/auth/login">
            {t('signIn.submit')}
          </a>
        </p>
      )}
      {options && options.devUsers.length > 0 && (
        <section className="dev-sign-in" aria-labelledby="dev-title">
          <h2 id="dev-title">{t('signIn.devTitle')}</h2>
          <p>{t('signIn.devNotice')}</p>
          <Form onSubmit={devSignIn}>
            <SelectField
              label={t('signIn.devUser')}
              options={options.devUsers.map((u) => ({ id: u.sub, label: u.who }))}
              selected={devUser}
              onChange={setDevUser}
            />
            <Button type="submit" className="button primary">
              {t('signIn.submit')}
            </Button>
          </Form>
        </section>
      )}
    </>
  );
}
