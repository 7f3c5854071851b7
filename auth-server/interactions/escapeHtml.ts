/** Escapes text for an HTML element or a quoted attribute: every user-controlled string on our pages goes through it. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
