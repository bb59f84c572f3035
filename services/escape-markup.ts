/** Text for HTML or SVG: the five characters markup gives meaning to, as entities. */
export const escapeMarkup = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
