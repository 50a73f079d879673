// express: a metrics interval started once in the listen callback (no leak).
const express = require('express');

const app = express();
let served = 0;
app.use((req, res, next) => { served++; next(); });

app.listen(3000, () => {
  setInterval(() => console.log('served', served), 60_000);
});
