import { escapeHtml } from './escapeHtml.js';

// The interaction pages load nothing from elsewhere (README.md: no outbound connection the
// configuration does not name, a browser's included).
const STYLE = `body{font-family:system-ui,sans-serif;max-width:26rem;margin:4rem auto}label,input,button{display:block;width:100%;margin:.4rem 0}
.error{color:#b00020}fieldset{border:1px solid #ccc;padding:.4rem .8rem}label.scope{display:flex;gap:.5rem;align-items:baseline}
label.scope input{width:auto;flex:none}.scope small{color:#555}`;

/** The parts of an interaction page: `intro` and `form` are HTML the caller has escaped; `title` and `error` are text. */
export interface InteractionPage {
  title: string;
  intro: string;
  /** Shown above the form after a refused submission. */
  error?: string;
  form: string;
}

/** One interaction page (the login form, the scope choice). */
export function pageShell({ title, intro, error, form }: InteractionPage): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)} - Deputy demo</title>
<style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
${intro}
${error ? `<p class="error" role="alert" data-testid="interaction-error">${escapeHtml(error)}</p>` : ''}
${form}
</body>
</html>`;
}
