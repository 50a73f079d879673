// express: an error-handling middleware keeps every error (with its stack and request) in a module array.
import express, { type NextFunction, type Request, type Response } from 'express';

const app = express();
const recentErrors: Array<{ error: Error; url: string }> = [];

app.get('/boom', () => {
  throw new Error('boom');
});

app.use((error: Error, req: Request, res: Response, _next: NextFunction) => {
  recentErrors.push({ error, url: req.originalUrl }); // leak: no-module-state-per-request
  res.status(500).json({ errors: recentErrors.length });
});

app.listen(3000);
