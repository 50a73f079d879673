// express Router: uploads parked in a module-level object until processed, then deleted (managed: no leak).
import express, { type Request, type Response } from 'express';

const router = express.Router();
const pendingUploads: Record<string, Buffer> = {};

router.put('/uploads/:id', express.raw({ limit: '1mb' }), (req: Request, res: Response) => {
  pendingUploads[req.params.id!] = req.body as Buffer;
  res.sendStatus(202);
});

router.post('/uploads/:id/commit', (req: Request, res: Response) => {
  const body = pendingUploads[req.params.id!];
  delete pendingUploads[req.params.id!];
  res.json({ bytes: body?.length ?? 0 });
});

export default router;
