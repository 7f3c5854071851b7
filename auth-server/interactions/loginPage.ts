/** The demo login form; `error` is shown above it after a failed attempt. */
export function loginPage(uid: string, clientId: string, error?: string): string {
  const escape = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in - Deputy demo</title>
<style>body{font-family:system-ui,sans-serif;max-width:22rem;margin:4rem auto}label,input,button{display:block;width:100%;margin:.4rem 0}
.error{color:#b00020}</style></head>
<body>
<h1>Sign in</h1>
<p>to <strong>${escape(clientId)}</strong> (Deputy demo: the password of each demo user is the user name)</p>
${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login" autocomplete="off">
<label>User <input name="username" required autofocus></label>
<label>Password <input name="password" type="password" required></label>
<button type="submit">Sign in</button>
</form>
</body>
</html>`;
}
