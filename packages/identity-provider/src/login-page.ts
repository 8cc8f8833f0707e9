import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { DemoAccount, ProviderSpec } from './spec';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 10_000) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

function page(spec: ProviderSpec, uid: string): string {
  const choice = (account: DemoAccount) =>
    `<li><button type="submit" name="sub" value="${escapeHtml(account.sub)}">${escapeHtml(account.name)}</button> <span>(${escapeHtml(account.sub)})</span></li>`;
  return `<!DOCTYPE html>
<html lang="sv">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Logga in – ${escapeHtml(spec.displayName)}</title></head>
<body>
<main>
<h1>Logga in hos ${escapeHtml(spec.displayName)}</h1>
<p>Utvecklingsmiljö: välj en demoanvändare. Här finns inga lösenord.</p>
<form method="post" action="/interaction/${escapeHtml(uid)}">
<ul>
${spec.accounts.map(choice).join('\n')}
</ul>
<p><button type="submit" name="cancel" value="1">Avbryt inloggningen</button></p>
</form>
</main>
</body>
</html>`;
}

/**
 * The provider's interaction pages: login by choosing a demo user (development
 * only — no passwords) or cancelling, and consent given at once, since every client of a
 * development provider is the federation's own.
 */
export async function handleInteraction(provider: Provider, spec: ProviderSpec, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  res.setHeader('Cache-Control', 'no-store');
  if (details.prompt.name === 'consent') {
    const accountId = details.session?.accountId;
    if (!accountId) throw new Error('consent without a signed-in account');
    const grant = details.grantId
      ? ((await provider.Grant.find(details.grantId)) ?? new provider.Grant({ accountId, clientId: String(details.params.client_id) }))
      : new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
    await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    return;
  }
  if (req.method === 'POST') {
    const form = await formBody(req);
    // The person changed their mind: the client gets access_denied (RFC 6749 4.1.2.1), as from a real provider.
    if (form.get('cancel')) {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'The sign-in was cancelled' },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    const sub = form.get('sub') ?? '';
    if (!spec.accounts.some((a) => a.sub === sub)) {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Okänd demoanvändare.');
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: sub } }, { mergeWithLastSubmission: false });
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  });
  res.end(page(spec, details.uid));
}
