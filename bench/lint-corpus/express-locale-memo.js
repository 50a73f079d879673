// express: translations memoized per locale, but only for the fixed set of supported locales (no leak).
import express from 'express';

const app = express();
const SUPPORTED = ['en', 'de', 'fr'];
const bundles = new Map();

function loadBundle(locale) {
  return { locale, hello: locale === 'de' ? 'Hallo' : 'Hello' };
}

app.get('/hello', (req, res) => {
  const asked = String(req.query.lang ?? 'en');
  const locale = SUPPORTED.includes(asked) ? asked : 'en';
  if (!bundles.has(locale)) bundles.set(locale, loadBundle(locale));
  res.send(bundles.get(locale).hello);
});

app.listen(3000);
