/** A minimal HTML page with one message, for browsers asking for a page that cannot be shown. */
export function htmlMessagePage(options: { lang: string; dir: 'ltr' | 'rtl'; title: string; message: string; homeLabel?: string }): string {
  const escape = (text: string) =>
    text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
  return `<!doctype html>
<html lang="${escape(options.lang)}" dir="${options.dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(options.title)}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5">
<main><h1 style="font-size: 1.5rem">${escape(options.message)}</h1>${options.homeLabel ? `<p><a href="/">${escape(options.homeLabel)}</a></p>` : ''}</main>
</body>
</html>
`;
}
