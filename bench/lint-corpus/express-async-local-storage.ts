// express: request context through AsyncLocalStorage; the store lives only for the request (no leak).
import { AsyncLocalStorage } from 'node:async_hooks';
import express, { type NextFunction, type Request, type Response } from 'express';

const requestContext = new AsyncLocalStorage<{ req: Request; id: string }>();
const app = express();

app.use((req: Request, res: Response, next: NextFunction) => {
  requestContext.run({ req, id: String(req.headers['x-request-id'] ?? Date.now()) }, next);
});

function currentRequestId(): string | undefined {
  return requestContext.getStore()?.id;
}

app.get('/', (req: Request, res: Response) => {
  res.json({ id: currentRequestId() });
});

app.listen(3000);
