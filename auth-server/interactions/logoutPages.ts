import type { KoaContextWithOIDC } from 'oidc-provider';

// oidc-provider's default logout pages load a web font from a third-party host; these load
// nothing (README.md: no outbound connection the configuration does not name, a browser's included).

const STYLE = '<style>body{font-family:system-ui,sans-serif;max-width:22rem;margin:4rem auto}button{display:block;width:100%;margin:.4rem 0}</style>';

/**
 * The RP-initiated logout confirmation: `form` is oidc-provider's hidden form (its xsrf token).
 * "Sign out" ends the whole session and every grant in it; when a client asked, the other button
 * ends only that client's grant (oidc-provider's answer without `logout=yes`).
 */
export function logoutSource(ctx: KoaContextWithOIDC, form: string): void {
  const onlyThisClient = ctx.oidc.client ? '<button type="submit" form="op.logoutForm">Sign out of this application only</button>' : '';
  ctx.type = 'html';
  ctx.body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign out - Deputy demo</title>${STYLE}</head>
<body>
<h1>Sign out?</h1>
${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Sign out</button>
${onlyThisClient}
</body></html>`;
}

/** Shown after a logout that named no post_logout_redirect_uri. */
export function postLogoutSuccessSource(ctx: KoaContextWithOIDC): void {
  ctx.type = 'html';
  ctx.body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Signed out - Deputy demo</title>${STYLE}</head>
<body><h1>Signed out</h1><p>You have been signed out.</p></body></html>`;
}
